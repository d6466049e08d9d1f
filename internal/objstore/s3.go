package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says which bucket, where and as whom.
type S3Config struct {
	Endpoint  string // URL of the service, e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:7070
	Region    string
	AccessKey string
	SecretKey string
	Token     string
	Bucket    string
	Prefix    string // keys live under <prefix>/ in the bucket; "" = the bucket's root
	CacheDir  string // where Local keeps downloaded objects
	PartSize  uint64 // bytes of each part of a multipart upload (default 16 MiB)
}

// S3 keeps objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW,
// SeaweedFS, versitygw): what several scry processes on several machines
// share.
type S3 struct {
	cfg    S3Config
	client *minio.Client

	mu       sync.Mutex
	fetching map[string]*fetch // Local downloads under way, by key
}

// fetch is one download into the cache that concurrent Locals of the same
// key wait for, rather than each downloading the video again.
type fetch struct {
	done chan struct{}
	err  error
}

var _ Store = (*S3)(nil)

// DefaultPartSize is the part of a multipart upload: a 10 GiB video is 640
// parts (S3 allows 10,000), and an upload holds at most two parts in memory.
const DefaultPartSize = 16 << 20

// NewS3 connects to the bucket (without a request: Check asks).
func NewS3(cfg S3Config) (*S3, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("S3 endpoint %q: not an http(s) URL", cfg.Endpoint)
	}
	if cfg.PartSize == 0 {
		cfg.PartSize = DefaultPartSize
	}
	var creds *credentials.Credentials
	if cfg.AccessKey != "" {
		creds = credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, cfg.Token)
	} else {
		creds = credentials.NewIAM("") // an instance or container role
	}
	c, err := minio.New(u.Host, &minio.Options{Creds: creds, Secure: u.Scheme == "https", Region: cfg.Region,
		// Path-style requests work with every S3 service and any bucket
		// name; virtual hosts need DNS that test and on-premises
		// services rarely have.
		BucketLookup: minio.BucketLookupPath})
	if err != nil {
		return nil, fmt.Errorf("S3 endpoint %s: %w", cfg.Endpoint, err)
	}
	return &S3{cfg: cfg, client: c}, nil
}

func (s *S3) String() string {
	return fmt.Sprintf("s3://%s/%s at %s", s.cfg.Bucket, s.cfg.Prefix, s.cfg.Endpoint)
}

func (s *S3) name(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	if s.cfg.Prefix == "" {
		return key, nil
	}
	return s.cfg.Prefix + "/" + key, nil
}

// notExist turns S3's "no such key" into fs.ErrNotExist.
func notExist(err error) error {
	if err == nil {
		return nil
	}
	switch minio.ToErrorResponse(err).Code {
	case minio.NoSuchKey, "NotFound":
		return fmt.Errorf("%w: %v", fs.ErrNotExist, err)
	}
	return err
}

// Put uploads in parts of PartSize (a multipart upload, which S3 makes
// visible only when complete; small objects go in one request).
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	name, err := s.name(key)
	if err != nil {
		return err
	}
	_, err = s.client.PutObject(ctx, s.cfg.Bucket, name, r, size, minio.PutObjectOptions{
		PartSize: s.cfg.PartSize, NumThreads: 2, ContentType: "application/octet-stream"})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.name(key)
	if err != nil {
		return nil, err
	}
	// GetObject sends no request until the first read: ask first, so a
	// missing object is an error here and not in the middle of a copy.
	if _, err := s.client.StatObject(ctx, s.cfg.Bucket, name, minio.StatObjectOptions{}); err != nil {
		return nil, notExist(err)
	}
	o, err := s.client.GetObject(ctx, s.cfg.Bucket, name, minio.GetObjectOptions{})
	return o, notExist(err)
}

func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	name, err := s.name(key)
	if err != nil {
		return Info{}, err
	}
	o, err := s.client.StatObject(ctx, s.cfg.Bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, notExist(err)
	}
	return Info{Key: key, Size: o.Size, Modified: o.LastModified}, nil
}

func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.name(key)
	if err != nil {
		return err
	}
	return notExistOK(s.client.RemoveObject(ctx, s.cfg.Bucket, name, minio.RemoveObjectOptions{}))
}

func notExistOK(err error) error {
	if errors.Is(notExist(err), fs.ErrNotExist) {
		return nil
	}
	return err
}

func (s *S3) List(ctx context.Context, prefix string) ([]Info, error) {
	full := prefix
	if s.cfg.Prefix != "" {
		full = s.cfg.Prefix + "/" + prefix
	}
	var out []Info
	for o := range s.client.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: full, Recursive: true}) {
		if o.Err != nil {
			return nil, o.Err
		}
		key := strings.TrimPrefix(o.Key, s.cfg.Prefix+"/")
		if s.cfg.Prefix == "" {
			key = o.Key
		}
		out = append(out, Info{Key: key, Size: o.Size, Modified: o.LastModified})
	}
	return out, nil // S3 lists in key order
}

// Local downloads the object into the cache folder once, streaming (a
// temporary name renamed when complete, so a cached file is always whole).
func (s *S3) Local(ctx context.Context, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	dst := filepath.Join(s.cfg.CacheDir, filepath.FromSlash(key))
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	s.mu.Lock()
	f, waiting := s.fetching[key]
	if !waiting {
		f = &fetch{done: make(chan struct{})}
		if s.fetching == nil {
			s.fetching = map[string]*fetch{}
		}
		s.fetching[key] = f
	}
	s.mu.Unlock()
	if !waiting {
		// The download is everyone's: it goes on when the request that
		// started it ends, and fills the cache for the next one.
		go func() {
			f.err = s.download(context.WithoutCancel(ctx), key)
			s.mu.Lock()
			delete(s.fetching, key)
			s.mu.Unlock()
			close(f.done)
		}()
	}
	select {
	case <-f.done:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if f.err != nil {
		return "", f.err
	}
	return dst, nil
}

func (s *S3) download(ctx context.Context, key string) error {
	rc, err := s.Get(ctx, key)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := NewFolder(s.cfg.CacheDir).Put(ctx, key, rc, -1); err != nil {
		return fmt.Errorf("cache %s: %w", key, err)
	}
	return nil
}

// Check asks whether the bucket exists (one request, for /healthz).
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.cfg.Bucket)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("bucket %s does not exist", s.cfg.Bucket)
	}
	return nil
}

// MakeBucket creates the bucket when it does not exist (tests, first
// installs; production buckets are usually made by their operator).
func (s *S3) MakeBucket(ctx context.Context) error {
	if ok, err := s.client.BucketExists(ctx, s.cfg.Bucket); err == nil && ok {
		return nil
	}
	return s.client.MakeBucket(ctx, s.cfg.Bucket, minio.MakeBucketOptions{Region: s.cfg.Region})
}
