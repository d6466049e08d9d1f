// Package objstore keeps scry's files — videos, exemplar images, frames cut
// for the labeling portal, signed audit heads, the invitation outbox —
// behind one small interface, so that one machine keeps them in its data
// folder and several machines share them in an S3-compatible bucket.
package objstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Store holds objects under slash-separated keys such as
// "videos/3/<sha256>.mp4". Every implementation passes the same conformance
// suite (objstore_test.go), run against the folder and a real S3 server.
type Store interface {
	// Put stores what r holds under key, whole or not at all: a reader of
	// the key sees the old object or the complete new one, never a part.
	// size is the byte count when known, -1 otherwise. r is streamed, never
	// held in memory whole.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Get opens an object; a missing one is an error matching fs.ErrNotExist.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat describes an object; a missing one is fs.ErrNotExist.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes an object; removing a missing one is no error.
	Delete(ctx context.Context, key string) error
	// List returns the objects whose keys start with prefix, by key.
	List(ctx context.Context, prefix string) ([]Info, error)
	// Local is a path of a local file that holds the object, for programs
	// that read files (ffmpeg seeks in them). The folder gives its own
	// file; S3 downloads it once into a local cache. Use it for objects
	// stored by content only: a cached copy is never refreshed.
	Local(ctx context.Context, key string) (string, error)
	// Check tells whether the store answers (for /healthz).
	Check(ctx context.Context) error
	// String names the store for logs and health, without credentials.
	String() string
}

// Info describes one object.
type Info struct {
	Key      string    `json:"key"`
	Size     int64     `json:"size"`
	Modified time.Time `json:"modified"`
}

// Open returns the store that spec names: "" is the data folder itself (the
// embedded default, whose keys are the folder's own layout), "file:DIR"
// another folder, and "s3://bucket/prefix" an S3-compatible bucket whose
// endpoint, region and credentials come from the usual AWS variables
// (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_REGION or
// AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN). Objects an S3 store hands to ffmpeg are cached in
// <data>/cache/objects.
func Open(spec, dataDir string, getenv func(string) string) (Store, error) {
	switch {
	case spec == "":
		return NewFolder(dataDir), nil
	case strings.HasPrefix(spec, "file:"):
		return NewFolder(strings.TrimPrefix(strings.TrimPrefix(spec, "file:"), "//")), nil
	case strings.HasPrefix(spec, "s3://"):
		u, err := url.Parse(spec)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("object store %q: not s3://bucket/prefix", spec)
		}
		return NewS3(S3Config{
			Endpoint:  firstOf(getenv("AWS_ENDPOINT_URL_S3"), getenv("AWS_ENDPOINT_URL"), "https://s3.amazonaws.com"),
			Region:    firstOf(getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION")),
			AccessKey: getenv("AWS_ACCESS_KEY_ID"),
			SecretKey: getenv("AWS_SECRET_ACCESS_KEY"),
			Token:     getenv("AWS_SESSION_TOKEN"),
			Bucket:    u.Host,
			Prefix:    strings.Trim(u.Path, "/"),
			CacheDir:  filepath.Join(dataDir, "cache", "objects"),
		})
	}
	return nil, fmt.Errorf("object store %q: give s3://bucket/prefix, file:DIR, or nothing for the data folder", spec)
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// checkKey refuses keys that could leave the store's root or name a
// folder: every key is a clean relative path of a file.
func checkKey(key string) error {
	if !fs.ValidPath(key) || key == "." || path.Clean(key) != key || strings.HasSuffix(key, "/") {
		return fmt.Errorf("object key %q is not a clean relative path", key)
	}
	return nil
}

// ReadAll reads a small object whole (a head, a key): never use it for a
// video.
func ReadAll(ctx context.Context, s Store, key string) ([]byte, error) {
	rc, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// PutBytes stores a small object.
func PutBytes(ctx context.Context, s Store, key string, b []byte) error {
	return s.Put(ctx, key, bytes.NewReader(b), int64(len(b)))
}

// IsNotExist tells a missing object from other failures.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
