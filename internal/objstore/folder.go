package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Folder keeps objects as files under a root folder: key "a/b.jpg" is the
// file <root>/a/b.jpg. It is the embedded default, rooted at the data
// folder, so the folder's layout is the one scry always had.
type Folder struct{ root string }

var _ Store = (*Folder)(nil)

// NewFolder returns the store of the folder root (created on first Put).
func NewFolder(root string) *Folder { return &Folder{root: root} }

func (f *Folder) String() string { return "folder " + f.root }

// Root is the folder the objects are files of.
func (f *Folder) Root() string { return f.root }

func (f *Folder) file(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return filepath.Join(f.root, filepath.FromSlash(key)), nil
}

// tempPrefix names files being written; List skips them and nothing else
// starts with it.
const tempPrefix = ".put-"

// Put writes to a temporary file beside the object, syncs it and renames
// it over the object: a crash leaves the old object or the new one.
func (f *Folder) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	dst, err := f.file(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), tempPrefix+"*")
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	n, err := io.Copy(tmp, ctxReader{ctx, r})
	if err == nil && size >= 0 && n != size {
		err = fmt.Errorf("read %d bytes, expected %d", n, size)
	}
	if err == nil {
		err = tmp.Chmod(0o600) // the process's own: invitations hold temporary passwords
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

func (f *Folder) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := f.file(key)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

func (f *Folder) Stat(ctx context.Context, key string) (Info, error) {
	p, err := f.file(key)
	if err != nil {
		return Info{}, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return Info{}, err
	}
	if st.IsDir() {
		return Info{}, fmt.Errorf("stat %s: %w", key, fs.ErrNotExist)
	}
	return Info{Key: key, Size: st.Size(), Modified: st.ModTime()}, nil
}

func (f *Folder) Delete(ctx context.Context, key string) error {
	p, err := f.file(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (f *Folder) List(ctx context.Context, prefix string) ([]Info, error) {
	// Walk only the deepest folder the prefix names.
	dir := prefix[:strings.LastIndex(prefix, "/")+1]
	var out []Info
	err := filepath.WalkDir(filepath.Join(f.root, filepath.FromSlash(dir)), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // pruned meanwhile, or no such folder yet
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		rel, err := filepath.Rel(f.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		st, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		out = append(out, Info{Key: key, Size: st.Size(), Modified: st.ModTime()})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, err
}

// Local is the object's own file.
func (f *Folder) Local(ctx context.Context, key string) (string, error) {
	p, err := f.file(key)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return p, nil
}

// Check creates the root when missing and writes nothing else: a folder
// that cannot be created or listed does not answer.
func (f *Folder) Check(ctx context.Context) error {
	if err := os.MkdirAll(f.root, 0o750); err != nil {
		return err
	}
	_, err := os.ReadDir(f.root)
	return err
}

// ctxReader stops a long copy when ctx ends (Ctrl-C during a 10 GB put).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
