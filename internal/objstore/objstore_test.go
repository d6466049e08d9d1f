package objstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/objstore/objstoretest"
)

// The conformance suite: every test runs on the folder and on S3.

func TestPutGetStatDeleteList(t *testing.T) {
	objstoretest.Each(t, func(t *testing.T, k objstoretest.Kind) {
		ctx := context.Background()
		s := objstoretest.Open(t, k, t.TempDir())
		if err := s.Check(ctx); err != nil {
			t.Fatalf("check: %v", err)
		}
		for key, body := range map[string]string{"a/1.txt": "one", "a/2.txt": "two", "a/b/3.txt": "three", "ab/4.txt": "four"} {
			if err := objstore.PutBytes(ctx, s, key, []byte(body)); err != nil {
				t.Fatal(err)
			}
		}
		b, err := objstore.ReadAll(ctx, s, "a/b/3.txt")
		if err != nil || string(b) != "three" {
			t.Fatalf("get: %q %v", b, err)
		}
		if err := objstore.PutBytes(ctx, s, "a/1.txt", []byte("uno")); err != nil {
			t.Fatal(err)
		}
		if b, _ := objstore.ReadAll(ctx, s, "a/1.txt"); string(b) != "uno" {
			t.Fatalf("overwritten object reads %q", b)
		}
		info, err := s.Stat(ctx, "a/2.txt")
		if err != nil || info.Size != 3 || info.Key != "a/2.txt" || time.Since(info.Modified) > time.Hour {
			t.Fatalf("stat: %+v %v", info, err)
		}
		list, err := s.List(ctx, "a/")
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, i := range list {
			keys = append(keys, i.Key)
		}
		if want := []string{"a/1.txt", "a/2.txt", "a/b/3.txt"}; !equal(keys, want) {
			t.Fatalf("list a/: %v, want %v", keys, want)
		}
		if list, _ := s.List(ctx, "a"); len(list) != 4 {
			t.Fatalf("list a: %d objects, want 4 (a prefix is not a folder)", len(list))
		}
		if list, err := s.List(ctx, "none/"); err != nil || len(list) != 0 {
			t.Fatalf("list of nothing: %v %v", list, err)
		}
		if err := s.Delete(ctx, "a/2.txt"); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "a/2.txt"); err != nil {
			t.Fatalf("deleting a missing object: %v", err)
		}
		for _, f := range []func() error{
			func() error { _, err := s.Get(ctx, "a/2.txt"); return err },
			func() error { _, err := s.Stat(ctx, "a/2.txt"); return err },
			func() error { _, err := s.Local(ctx, "a/2.txt"); return err },
			func() error { _, err := s.Stat(ctx, "a"); return err },
		} {
			if err := f(); !objstore.IsNotExist(err) {
				t.Fatalf("a missing object: %v, want fs.ErrNotExist", err)
			}
		}
	})
}

func TestKeysStayInside(t *testing.T) {
	objstoretest.Each(t, func(t *testing.T, k objstoretest.Kind) {
		s := objstoretest.Open(t, k, t.TempDir())
		for _, key := range []string{"../x", "/etc/passwd", "a//b", "a/./b", "a/", "", "."} {
			if err := objstore.PutBytes(context.Background(), s, key, []byte("x")); err == nil {
				t.Errorf("key %q accepted", key)
			}
		}
	})
}

// errAfter fails after n bytes: an upload cut off midway.
type errAfter struct {
	r io.Reader
	n int64
}

func (e *errAfter) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, errors.New("connection reset")
	}
	p = p[:min(int64(len(p)), e.n)]
	n, err := e.r.Read(p)
	e.n -= int64(n)
	return n, err
}

// TestLargeObjectInParts: an object larger than a part goes up in parts,
// arrives whole (same SHA-256), and an upload cut off midway leaves the
// previous object, never a part of the new one.
func TestLargeObjectInParts(t *testing.T) {
	objstoretest.Each(t, func(t *testing.T, k objstoretest.Kind) {
		ctx := context.Background()
		s := objstoretest.Open(t, k, t.TempDir())
		data := make([]byte, objstore.DefaultPartSize*2+12345)
		for i := range data {
			data[i] = byte(i * 7 / 3)
		}
		start := time.Now()
		if err := s.Put(ctx, "videos/big.bin", bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
		d := time.Since(start)
		t.Logf("%s: put %d MiB in %s (%.0f MiB/s)", k, len(data)>>20, d.Round(time.Millisecond), float64(len(data))/(1<<20)/d.Seconds())
		rc, err := s.Get(ctx, "videos/big.bin")
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		n, err := io.Copy(h, rc)
		rc.Close()
		if err != nil || n != int64(len(data)) || !bytes.Equal(h.Sum(nil), sum(data)) {
			t.Fatalf("read back %d bytes, %v; same bytes: %v", n, err, bytes.Equal(h.Sum(nil), sum(data)))
		}
		// unknown size: streamed in parts too
		if err := s.Put(ctx, "videos/unsized.bin", bytes.NewReader(data[:objstore.DefaultPartSize+1]), -1); err != nil {
			t.Fatal(err)
		}
		if info, err := s.Stat(ctx, "videos/unsized.bin"); err != nil || info.Size != objstore.DefaultPartSize+1 {
			t.Fatalf("unsized put: %+v %v", info, err)
		}
		err = s.Put(ctx, "videos/big.bin", &errAfter{bytes.NewReader(make([]byte, len(data))), objstore.DefaultPartSize + 5}, int64(len(data)))
		if err == nil {
			t.Fatal("an upload cut off midway succeeded")
		}
		if info, err := s.Stat(ctx, "videos/big.bin"); err != nil || info.Size != int64(len(data)) {
			t.Fatalf("after a cut-off upload the old object is %+v %v", info, err)
		}
		if err := s.Put(ctx, "videos/never.bin", &errAfter{bytes.NewReader(data), 1000}, int64(len(data))); err == nil {
			t.Fatal("a cut-off upload succeeded")
		}
		if _, err := s.Stat(ctx, "videos/never.bin"); !objstore.IsNotExist(err) {
			t.Fatalf("a cut-off upload left an object: %v", err)
		}
		// Local: a file ffmpeg can open, with the same bytes
		p, err := s.Local(ctx, "videos/big.bin")
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(sum(got), sum(data)) {
			t.Fatalf("local copy differs: %v", err)
		}
		if p2, err := s.Local(ctx, "videos/big.bin"); err != nil || p2 != p {
			t.Fatalf("second Local: %s %v, want the cached %s", p2, err, p)
		}
	})
}

func sum(b []byte) []byte { h := sha256.Sum256(b); return h[:] }

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestConcurrentLocal: requests that need the same object at once get the
// same local file, whole.
func TestConcurrentLocal(t *testing.T) {
	objstoretest.Each(t, func(t *testing.T, k objstoretest.Kind) {
		ctx := context.Background()
		s := objstoretest.Open(t, k, t.TempDir())
		data := bytes.Repeat([]byte("frame "), 1<<20)
		if err := s.Put(ctx, "videos/1/v.mp4", bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
		paths := make(chan string, 8)
		for range 8 {
			go func() {
				p, err := s.Local(ctx, "videos/1/v.mp4")
				if err != nil {
					t.Error(err)
				}
				paths <- p
			}()
		}
		first := <-paths
		for range 7 {
			if p := <-paths; p != first {
				t.Fatalf("two local copies: %s and %s", first, p)
			}
		}
		if got, err := os.ReadFile(first); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("local copy: %d bytes, %v", len(got), err)
		}
	})
}
