// Package video is a tenant's video library: files stored by content in the
// object store, and the analyses run on them as background jobs.
package video

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/objstore"
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

// Key is where the file of v lives in the object store.
func Key(tenantID int64, v Video) string {
	return fmt.Sprintf("videos/%d/%s%s", tenantID, v.ID, v.Ext)
}

// FrameAt decodes frame idx of v at full size. ffmpeg seeks in a local
// file: the folder's own, or S3's cached copy (downloaded once, streamed).
func FrameAt(ctx context.Context, objs objstore.Store, tenantID int64, v Video, idx int) (media.Frame, error) {
	path, err := objs.Local(ctx, Key(tenantID, v))
	if err != nil {
		return media.Frame{}, missing(err)
	}
	return media.FrameAt(ctx, path, v.Info, idx, v.Info.Width, v.Info.Height)
}

// FrameJPEG is frame idx of v as a JPEG, cut once with ffmpeg and kept in
// the object store under frames/<tenant>/<video>/<n>.jpg, so a job's
// several workers, a worker stepping back and forth, and every server
// behind a load balancer cost one decode per frame.
func FrameJPEG(ctx context.Context, objs objstore.Store, tenantID int64, v Video, idx int) ([]byte, error) {
	key := fmt.Sprintf("frames/%d/%s/%d.jpg", tenantID, v.ID, idx)
	if b, err := objstore.ReadAll(ctx, objs, key); err == nil {
		return b, nil
	}
	f, err := FrameAt(ctx, objs, tenantID, v, idx)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, f.Image(), &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	if err := objstore.PutBytes(ctx, objs, key, buf.Bytes()); err != nil {
		slog.Warn("keeping a cut frame failed; the next request cuts it again", "key", key, "err", err)
	}
	return buf.Bytes(), nil
}

// missing is a video file gone from the store: not found, not internal.
func missing(err error) error {
	if objstore.IsNotExist(err) {
		return errcode.Wrap(errcode.NotFound, err, "The video's file is missing from the object store")
	}
	return errcode.Wrap(errcode.Internal, err, "Cannot read the video's file")
}

var mediaExt = map[string]bool{".mp4": true, ".mov": true, ".mkv": true, ".webm": true, ".avi": true, ".jpg": true, ".jpeg": true, ".png": true, ".m4v": true}

// Add probes src (refusing what is not media or is over the limits),
// stores it in the object store under the SHA-256 of its bytes and records
// it, audited as video.add with the file's name (the same through every
// door: the CLI's path as typed and the server's upload folder are not the
// video's name). The store shows an object whole or not at all (a renamed
// temporary file; an S3 multipart upload completed), so it never holds half
// a video; adding the same bytes again stores nothing new, records nothing
// and reports existed. The video is by's, in by's tenant.
func Add(ctx context.Context, by audit.Actor, objs objstore.Store, src string, lim media.Limits) (v Video, existed bool, err error) {
	info, err := media.Probe(ctx, src, lim)
	if err != nil {
		return Video{}, false, err
	}
	ext := strings.ToLower(filepath.Ext(src))
	if !mediaExt[ext] {
		ext = ".bin" // ffprobe read it; the name just does not say what it is
	}
	var old Video
	found := false
	sum, size, err := putHashed(ctx, objs, src, func(sum string) string {
		return Key(by.TenantID, Video{ID: sum, Ext: ext})
	}, func(sum string) bool {
		old, err = Get(ctx, by.DB, by.TenantID, sum)
		found = err == nil
		return found
	})
	if err != nil {
		return Video{}, false, err
	}
	if found {
		return old, true, nil
	}
	v = Video{ID: sum, Filename: filepath.Base(src), Ext: ext, Size: size, Info: info, AddedBy: by.Name, AddedAt: time.Now().UTC().Format(time.RFC3339)}
	infoJSON, _ := json.Marshal(info)
	err = by.Do(ctx, "video.add", v.Filename, map[string]any{"file": v.Filename}, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `insert into videos (tenant_id, id, filename, ext, size_bytes, info, added_by, added_at) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
			tx.TenantID, v.ID, v.Filename, v.Ext, v.Size, string(infoJSON), v.AddedBy, v.AddedAt)
		return err
	})
	if errcode.Is(store.Err(err, ""), errcode.AlreadyExists) {
		// Added meanwhile by someone else: the file is theirs, byte for byte.
		old, gerr := Get(ctx, by.DB, by.TenantID, v.ID)
		return old, true, gerr
	}
	if err != nil {
		objs.Delete(context.WithoutCancel(ctx), Key(by.TenantID, v)) // no row, no file
		return Video{}, false, store.Err(err, "record the video")
	}
	return v, false, nil
}

// putHashed stores the local file src under the key its SHA-256 names:
// one pass hashes it, a second streams it to the store in parts (the key
// must be known before an S3 upload starts). stored, when it says the
// content is kept already, skips the upload. Progress, when asked for, is
// the upload's: the local hashing pass is the quick one.
func putHashed(ctx context.Context, objs objstore.Store, src string, key func(sum string) string, stored func(sum string) bool) (sum string, size int64, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, errcode.Wrap(errcode.Invalid, err, "Cannot read %s", src)
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return "", 0, errcode.Wrap(errcode.Invalid, err, "Cannot read %s", src)
	}
	size = st.Size()
	h := sha256.New()
	interrupted := func(err error) error {
		if ctx.Err() != nil {
			return errcode.Wrap(errcode.Invalid, ctx.Err(), "Adding %s was interrupted; nothing was stored", src)
		}
		return errcode.Wrap(errcode.Internal, err, "Cannot store %s", src)
	}
	if _, err := io.Copy(h, &readerCtx{ctx: ctx, r: in}); err != nil {
		return "", 0, interrupted(err)
	}
	sum = hex.EncodeToString(h.Sum(nil))
	if stored != nil && stored(sum) {
		return sum, size, nil
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return "", 0, interrupted(err)
	}
	rc := &readerCtx{ctx: ctx, r: in}
	if fn, ok := ctx.Value(progressKey{}).(func(done, total int64)); ok {
		rc.progress, rc.total = fn, size
	}
	if err := objs.Put(ctx, key(sum), rc, size); err != nil {
		return "", 0, interrupted(err)
	}
	return sum, size, nil
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
