// Package fsatomic writes files so that a crash or an interruption leaves
// either the old file or the whole new one, never half of it.
package fsatomic

import (
	"os"
	"path/filepath"
)

// WriteFile writes data to a temporary file in path's folder, syncs it and
// renames it over path.
func WriteFile(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
