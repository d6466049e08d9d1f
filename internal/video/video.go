// Package video is a tenant's video library: files stored by content in the
// data folder, and the analyses run on them as background jobs.
package video

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/store"
)

// Video is one stored file.
type Video struct {
	ID       string     `json:"id"` // SHA-256 of the bytes, hex
	Filename string     `json:"filename"`
	Ext      string     `json:"-"`
	Size     int64      `json:"size_bytes"`
	Info     media.Info `json:"metadata"`
	AddedBy  string     `json:"added_by"`
	AddedAt  string     `json:"added_at"`
}

// Path is where the file of v lives.
func Path(dataDir string, tenantID int64, v Video) string {
	return filepath.Join(dir(dataDir, tenantID), v.ID+v.Ext)
}

func dir(dataDir string, tenantID int64) string {
	return filepath.Join(dataDir, "videos", fmt.Sprint(tenantID))
}

var mediaExt = map[string]bool{".mp4": true, ".mov": true, ".mkv": true, ".webm": true, ".avi": true, ".jpg": true, ".jpeg": true, ".png": true, ".m4v": true}

// Add probes src (refusing what is not media or is over the limits), copies
// it into the tenant's folder under the SHA-256 of its bytes and records it.
// The copy is written to a temporary name, synced and renamed, so the folder
// never holds half a file; adding the same bytes again stores nothing new
// and reports existed.
//
// within, when set, runs the recording transaction (the CLI and server pass
// one that writes the audit record in it); nil is a plain tenant transaction.
func Add(ctx context.Context, db *store.DB, dataDir string, tenantID int64, actor, src string, lim media.Limits, within Within) (v Video, existed bool, err error) {
	info, err := media.Probe(ctx, src, lim)
	if err != nil {
		return Video{}, false, err
	}
	ext := strings.ToLower(filepath.Ext(src))
	if !mediaExt[ext] {
		ext = ".bin" // ffprobe read it; the name just does not say what it is
	}
	d := dir(dataDir, tenantID)
	if err := os.MkdirAll(d, 0o750); err != nil {
		return Video{}, false, errcode.Wrap(errcode.Internal, err, "Cannot create the video folder")
	}
	tmp, size, sum, err := copyHashed(ctx, src, d)
	if err != nil {
		return Video{}, false, err
	}
	defer os.Remove(tmp) // a no-op once renamed
	v = Video{ID: sum, Filename: filepath.Base(src), Ext: ext, Size: size, Info: info, AddedBy: actor, AddedAt: time.Now().UTC().Format(time.RFC3339)}
	if old, err := Get(ctx, db, tenantID, v.ID); err == nil {
		return old, true, nil
	}
	final := Path(dataDir, tenantID, v)
	if err := os.Rename(tmp, final); err != nil {
		return Video{}, false, errcode.Wrap(errcode.Internal, err, "Cannot store the video")
	}
	infoJSON, _ := json.Marshal(info)
	if within == nil {
		within = func(fn func(*store.Tx) error) error { return db.InTenant(ctx, tenantID, fn) }
	}
	err = within(func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `insert into videos (tenant_id, id, filename, ext, size_bytes, info, added_by, added_at) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
			tenantID, v.ID, v.Filename, v.Ext, v.Size, string(infoJSON), v.AddedBy, v.AddedAt)
		return err
	})
	if errors.Is(store.Err(err, ""), store.ErrAlreadyExists) {
		// Added meanwhile by someone else: the file is theirs, byte for byte.
		old, gerr := Get(ctx, db, tenantID, v.ID)
		return old, true, gerr
	}
	if err != nil {
		os.Remove(final) // no row, no file
		return Video{}, false, store.Err(err, "record the video")
	}
	return v, false, nil
}

// Within runs change in a transaction bound to the tenant.
type Within func(change func(*store.Tx) error) error

// copyHashed copies src into dir under a temporary name, synced, hashing as
// it goes.
func copyHashed(ctx context.Context, src, dir string) (tmp string, size int64, sum string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, "", errcode.Wrap(errcode.Invalid, err, "Cannot read %s", src)
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, ".adding-*")
	if err != nil {
		return "", 0, "", errcode.Wrap(errcode.Internal, err, "Cannot write into the video folder")
	}
	h := sha256.New()
	rc := &readerCtx{ctx: ctx, r: in}
	if fn, ok := ctx.Value(progressKey{}).(func(done, total int64)); ok {
		if st, err := in.Stat(); err == nil {
			rc.progress, rc.total = fn, st.Size()
		}
	}
	size, err = io.Copy(io.MultiWriter(out, h), rc)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		if ctx.Err() != nil {
			return "", 0, "", errcode.Wrap(errcode.Invalid, ctx.Err(), "Adding %s was interrupted; nothing was stored", src)
		}
		return "", 0, "", errcode.Wrap(errcode.Internal, err, "Cannot copy %s into the data folder", src)
	}
	return out.Name(), size, hex.EncodeToString(h.Sum(nil)), nil
}

// readerCtx stops a long copy when ctx ends (Ctrl-C during a 10 GB add)
// and tells its progress, when asked to.
type readerCtx struct {
	ctx      context.Context
	r        io.Reader
	progress func(done, total int64)
	done     int64
	total    int64
}

func (r *readerCtx) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := r.r.Read(p)
	if r.progress != nil && n > 0 {
		r.done += int64(n)
		r.progress(r.done, r.total)
	}
	return n, err
}

type progressKey struct{}

// WithProgress returns a context under which Add tells fn how many bytes
// of the file it has copied (a 10 GB add takes a while).
func WithProgress(ctx context.Context, fn func(done, total int64)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

var idPrefix = regexp.MustCompile(`^[0-9a-f]{8,64}$`)

const videoCols = `id, filename, ext, size_bytes, info, added_by, added_at`

func scanVideo(row interface{ Scan(...any) error }) (Video, error) {
	var v Video
	var info string
	if err := row.Scan(&v.ID, &v.Filename, &v.Ext, &v.Size, &info, &v.AddedBy, &v.AddedAt); err != nil {
		return Video{}, err
	}
	return v, json.Unmarshal([]byte(info), &v.Info)
}

// Get finds a video by its id or an unambiguous prefix of at least 8
// characters, as `git` does with commits.
func Get(ctx context.Context, db *store.DB, tenantID int64, id string) (Video, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if !idPrefix.MatchString(id) {
		return Video{}, errcode.New(errcode.Invalid, "%q is not a video id: give at least its first 8 hex characters (scry video list shows them)", id)
	}
	found, err := readAll(ctx, db, tenantID, scanVideo, `select `+videoCols+` from videos where tenant_id = $1 and id >= $2 and id < $3 order by id limit 2`, tenantID, id, id+"g")
	switch {
	case err != nil:
		return Video{}, store.Err(err, "read videos")
	case len(found) == 0:
		return Video{}, errcode.New(errcode.NotFound, "No video %s in this tenant (scry video list shows them)", id)
	case len(found) > 1:
		return Video{}, errcode.New(errcode.Invalid, "%s is the start of more than one video id; give more characters", id)
	}
	return found[0], nil
}

// List returns the tenant's videos, newest first.
func List(ctx context.Context, db *store.DB, tenantID int64) ([]Video, error) {
	out, err := readAll(ctx, db, tenantID, scanVideo, `select `+videoCols+` from videos where tenant_id = $1 order by added_at desc, id`, tenantID)
	return out, store.Err(err, "list videos")
}

// readAll scans every row of a query run in a read transaction of the
// tenant; it never returns nil.
func readAll[T any](ctx context.Context, db *store.DB, tenantID int64, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	out := []T{}
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// Analysis is one analysis of a video: queued, running, done or failed.
type Analysis struct {
	ID         int64           `json:"id"`
	VideoID    string          `json:"video_id"`
	Prompt     string          `json:"prompt"`
	Blueprint  string          `json:"blueprint,omitempty"`
	Options    JobOptions      `json:"options"`
	Status     string          `json:"status"`
	Progress   float64         `json:"progress"`
	ErrorCode  string          `json:"error_code,omitempty"`
	Error      string          `json:"error,omitempty"`
	Result     json.RawMessage `json:"result,omitempty"`
	CreatedBy  string          `json:"created_by"`
	CreatedAt  string          `json:"created_at"`
	StartedAt  string          `json:"started_at,omitempty"`
	FinishedAt string          `json:"finished_at,omitempty"`
}

const analysisCols = `id, video_id, prompt, blueprint, options, status, progress, error_code, error, created_by, created_at, started_at, finished_at`

func scanAnalysis(row interface{ Scan(...any) error }, withResult bool) (Analysis, error) {
	var a Analysis
	var opts, result string
	dest := []any{&a.ID, &a.VideoID, &a.Prompt, &a.Blueprint, &opts, &a.Status, &a.Progress, &a.ErrorCode, &a.Error, &a.CreatedBy, &a.CreatedAt, &a.StartedAt, &a.FinishedAt}
	if withResult {
		dest = append(dest, &result)
	}
	if err := row.Scan(dest...); err != nil {
		return Analysis{}, err
	}
	if result != "" {
		a.Result = json.RawMessage(result)
	}
	return a, json.Unmarshal([]byte(opts), &a.Options)
}

// GetAnalysis reads one analysis of the tenant, with its result.
func GetAnalysis(ctx context.Context, db *store.DB, tenantID, id int64) (Analysis, error) {
	var a Analysis
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		a, err = scanAnalysis(tx.QueryRowContext(ctx, `select `+analysisCols+`, result from analyses where tenant_id = $1 and id = $2`, tenantID, id), true)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return Analysis{}, errcode.New(errcode.NotFound, "No analysis %d in this tenant", id)
	}
	return a, store.Err(err, "read the analysis")
}

// Analyses lists a video's analyses (every video's, with videoID ""),
// newest first, without their results.
func Analyses(ctx context.Context, db *store.DB, tenantID int64, videoID string) ([]Analysis, error) {
	// videoID "" lists the analyses of every video at once (one query for a
	// page of the whole library).
	out, err := readAll(ctx, db, tenantID, func(r interface{ Scan(...any) error }) (Analysis, error) { return scanAnalysis(r, false) },
		`select `+analysisCols+` from analyses where tenant_id = $1 and ($2 = '' or video_id = $2) order by id desc`, tenantID, videoID)
	return out, store.Err(err, "list analyses")
}
