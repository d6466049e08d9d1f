package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/cli/benchload"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/testwait"
)

// startServe runs `scry serve` on addr over data and waits until it answers.
func startServe(t *testing.T, cfg store.Config, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--addr", addr, "--workers", "0", "--rate-per-ip", "100000", "--rate-per-user", "100000")
	cmd.Env = append(os.Environ(), "SCRY_DATA="+cfg.DataDir, "SCRY_DATABASE_URL="+cfg.DatabaseURL, "SCRY_MIGRATE_DATABASE_URL="+cfg.MigrateURL)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	testwait.Eventually(t, 2*time.Minute, func() error {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("healthz: %s", resp.Status)
		}
		return nil
	})
	return cmd
}

// TestLabelServerCrash: 40 workers take and submit as fast as they can;
// the server is SIGKILLed in the middle and started again; the workers go
// on until the job is done. Every answer the server acknowledged is
// stored as acknowledged, no item was given to more workers than it
// needs, no task is left stuck, and the job ends.
func TestLabelServerCrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) { labelServerCrash(t, storetest.Config(t, d)) })
}

func labelServerCrash(t *testing.T, cfg store.Config) {
	data := cfg.DataDir
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	setup, err := benchload.Prepare(ctx, db, objstore.NewFolder(data), "crash-label", 40, 400, 3, time.Minute)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	srv := startServe(t, cfg, addr)
	var mu sync.Mutex
	acked := map[int64]string{}
	var transport atomic.Int64 // requests that met no server
	done := make(chan benchload.Result)
	// Duration only bounds a run that goes wrong: the run ends when the job
	// is done, however slow a loaded machine makes it.
	go func() {
		done <- benchload.Run(ctx, benchload.Config{BaseURL: "http://" + addr, Tenant: "crash-label", Cookies: setup.Cookies, Duration: 5 * time.Minute,
			Labels: setup.Labels, OnAck: func(id int64, a json.RawMessage) { mu.Lock(); acked[id] = string(a); mu.Unlock() },
			OnError: func(key string) {
				if key == "transport" {
					transport.Add(1)
				}
			}})
	}()
	// Kill the server in the middle of the load: once a tenth of the
	// answers are acknowledged.
	testwait.Eventually(t, 2*time.Minute, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(acked) < 400*3/10 {
			return fmt.Errorf("%d answers acknowledged", len(acked))
		}
		return nil
	})
	mu.Lock()
	before := len(acked)
	mu.Unlock()
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	// Workers meet a dead server before it comes back.
	testwait.Eventually(t, time.Minute, func() error {
		if transport.Load() < 10 {
			return fmt.Errorf("%d requests met the dead server", transport.Load())
		}
		return nil
	})
	startServe(t, cfg, addr)
	res := <-done
	t.Logf("%d answers acknowledged before the kill, %d in all; %d errors while the server was down: %v; %d workers ran out of work",
		before, len(acked), sum(res.Errors), res.Errors, res.OutOfWork)
	if before == 0 || res.OutOfWork != 40 {
		t.Fatalf("the kill did not land during the load (%d acknowledged before) or the job did not end (%d workers out of work)", before, res.OutOfWork)
	}
	db, err = store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	problems, err := benchload.Check(ctx, db, setup.Tenant.ID, setup.Job.ID, acked)
	if err != nil || len(problems) > 0 {
		t.Fatalf("after the crash: %v %v", err, problems)
	}
	var leased, submitted int
	err = db.ReadTenant(ctx, setup.Tenant.ID, func(tx *store.Tx) error {
		if err := tx.QueryRowContext(ctx, `select count(*) from label_tasks where tenant_id = $1 and status = 'leased'`, setup.Tenant.ID).Scan(&leased); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `select count(*) from label_tasks where tenant_id = $1 and status = 'submitted'`, setup.Tenant.ID).Scan(&submitted)
	})
	if err != nil {
		t.Fatal(err)
	}
	// An answer stored at the moment of the kill may never have been
	// acknowledged (its response died with the server): stored, not lost.
	if leased != 0 || submitted != 400*3 || len(acked) > submitted || submitted-len(acked) > 40 {
		t.Fatalf("%d tasks still leased, %d submitted of %d, %d acknowledged", leased, submitted, 400*3, len(acked))
	}
	t.Logf("%d stored, %d of them acknowledged (the rest were in flight at the kill)", submitted, len(acked))
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
