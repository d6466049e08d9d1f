// Package objstoretest gives each test a fresh object store in a folder and,
// when the versitygw binary is installed (make deps), in a real S3 server
// on loopback — one suite, both stores, as storetest does for databases.
package objstoretest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/testwait"
)

// Kind names an implementation under test.
type Kind string

const (
	Folder Kind = "folder"
	S3     Kind = "s3"
)

// Each runs fn once per store as subtests "folder" and "s3".
func Each(t *testing.T, fn func(t *testing.T, k Kind)) {
	for _, k := range []Kind{Folder, S3} {
		t.Run(string(k), func(t *testing.T) { fn(t, k) })
	}
}

// Open returns a fresh store of kind k whose local files (the folder, or
// the S3 cache) live under dataDir.
func Open(t testing.TB, k Kind, dataDir string) objstore.Store {
	t.Helper()
	return Machines(t, k, dataDir)[0]
}

// Machines returns one fresh store of kind k as several machines see it,
// one per data folder given: on S3 each has its own local cache, on the
// folder kind they all share the first folder.
func Machines(t testing.TB, k Kind, dataDirs ...string) []objstore.Store {
	t.Helper()
	out := make([]objstore.Store, len(dataDirs))
	if k == Folder {
		for i := range out {
			out[i] = objstore.NewFolder(dataDirs[0])
		}
		return out
	}
	spec, env := Server(t)
	for i, d := range dataDirs {
		s, err := objstore.Open(spec, d, func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		out[i] = s
	}
	return out
}

// versitygw finds the S3 gateway: on PATH, else where `go install` puts it.
func versitygw() (string, error) {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	p := filepath.Join(gopath, "bin", "versitygw")
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return p, nil
}

// Server starts a versitygw S3 gateway over a fresh folder on a free
// loopback port, with a fresh bucket, stopped when the test ends. It
// returns the --object-store value and the AWS variables a scry process
// needs to reach it. Without versitygw the test is skipped, saying so.
func Server(t testing.TB) (spec string, env map[string]string) {
	t.Helper()
	bin, err := versitygw()
	if err != nil {
		t.Skipf("S3 half skipped: versitygw is not installed (make deps, or go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // versitygw takes the port; another taker in between fails the start below
	b := make([]byte, 8)
	rand.Read(b)
	access, secret := "scrytest", hex.EncodeToString(b)
	dir := t.TempDir()
	cmd := exec.Command(bin, "--port", addr, "--access", access, "--secret", secret, "posix", dir)
	out, err := os.CreateTemp(t.TempDir(), "versitygw-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		out.Close()
	})
	env = map[string]string{
		"AWS_ENDPOINT_URL": "http://" + addr, "AWS_REGION": "us-east-1",
		"AWS_ACCESS_KEY_ID": access, "AWS_SECRET_ACCESS_KEY": secret,
	}
	spec = "s3://scry-test/" + hex.EncodeToString(b[:3])
	s, err := objstore.Open(spec, t.TempDir(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	testwait.Eventually(t, 30*time.Second, func() error {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(out.Name())
			t.Fatalf("versitygw exited: %v\n%s", err, log)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.(*objstore.S3).MakeBucket(ctx); err != nil {
			return fmt.Errorf("versitygw at %s: %w", addr, err)
		}
		return nil
	})
	return spec, env
}
