package web

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/video"
)

// uploadDir makes a folder of its own for one upload, removed by the
// caller (or by sweepUploads after a crash). It is in the data folder, not
// /tmp: /tmp is often a RAM disk, and an upload may be gigabytes.
func (s *Server) uploadDir(prefix string) (string, error) {
	parent := os.TempDir()
	if s.cfg.DataDir != "" {
		parent = filepath.Join(s.cfg.DataDir, "uploads")
		if err := os.MkdirAll(parent, 0o700); err != nil {
			return "", err
		}
	}
	return os.MkdirTemp(parent, prefix)
}

// addVideo takes a video as the raw request body (?filename= names it),
// streamed to a local file, never held in memory; video.Add probes it and
// uploads it to the object store in parts under its SHA-256.
func (s *Server) addVideo(w http.ResponseWriter, r *http.Request, c *caller) error {
	name := filepath.Base(strings.TrimSpace(r.URL.Query().Get("filename")))
	if name == "." || name == "/" || name == "" || len(name) > 200 {
		return errcode.New(errcode.Invalid, "Name the file: POST /api/v1/videos?filename=clip.mp4 with the bytes as the body")
	}
	dir, err := s.uploadDir("video-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errcode.New(errcode.Invalid, "The video is larger than %d MB (--max-upload)", tooBig.Limit>>20)
		}
		return errcode.Wrap(errcode.Invalid, err, "The upload did not arrive whole")
	}
	v, existed, err := video.Add(r.Context(), s.actor(c), s.cfg.Objects, path, media.DefaultLimits)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"video": v, "existed": existed})
	return nil
}
