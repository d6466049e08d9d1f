package cli_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/labeling/load"
	"github.com/scry-dev/scry/internal/store"
)

// startServe runs `scry serve` on addr over data and waits until it answers.
func startServe(t *testing.T, data, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--addr", addr, "--workers", "0", "--rate-per-ip", "100000", "--rate-per-user", "100000")
	cmd.Env = append(os.Environ(), "SCRY_DATA="+data)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
	}
	cmd.Process.Kill()
	t.Fatal("scry serve did not start")
	return nil
}

// TestLabelServerCrash: 40 workers take and submit as fast as they can;
// the server is SIGKILLed in the middle and started again; the workers go
// on until the job is done. Every answer the server acknowledged is
// stored as acknowledged, no item was given to more workers than it
// needs, no task is left stuck, and the job ends.
func TestLabelServerCrash(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	setup, err := load.Prepare(ctx, db, data, "crash-label", 40, 400, 3, time.Minute)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	srv := startServe(t, data, addr)
	var mu sync.Mutex
	acked := map[int64]string{}
	done := make(chan load.Result)
	go func() {
		done <- load.Run(ctx, load.Config{BaseURL: "http://" + addr, Tenant: "crash-label", Cookies: setup.Cookies, Duration: 40 * time.Second,
			Labels: setup.Labels, OnAck: func(id int64, a json.RawMessage) { mu.Lock(); acked[id] = string(a); mu.Unlock() }})
	}()
	time.Sleep(700 * time.Millisecond)
	mu.Lock()
	before := len(acked)
	mu.Unlock()
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	time.Sleep(300 * time.Millisecond) // workers meet a dead server meanwhile
	srv = startServe(t, data, addr)
	defer func() { srv.Process.Kill(); srv.Wait() }()
	res := <-done
	t.Logf("%d answers acknowledged before the kill, %d in all; %d errors while the server was down: %v; %d workers ran out of work",
		before, len(acked), sum(res.Errors), res.Errors, res.OutOfWork)
	if before == 0 || res.OutOfWork != 40 {
		t.Fatalf("the kill did not land during the load (%d acknowledged before) or the job did not end (%d workers out of work)", before, res.OutOfWork)
	}
	db, err = store.Open(ctx, store.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	problems, err := load.Check(ctx, db, setup.Tenant.ID, setup.Job.ID, acked)
	if err != nil || len(problems) > 0 {
		t.Fatalf("after the crash: %v %v", err, problems)
	}
	var leased, submitted int
	db.ReadTenant(ctx, setup.Tenant.ID, func(tx *store.Tx) error {
		tx.QueryRowContext(ctx, `select count(*) from label_tasks where tenant_id = $1 and status = 'leased'`, setup.Tenant.ID).Scan(&leased)
		return tx.QueryRowContext(ctx, `select count(*) from label_tasks where tenant_id = $1 and status = 'submitted'`, setup.Tenant.ID).Scan(&submitted)
	})
	if leased != 0 || submitted != 400*3 || len(acked) != submitted {
		t.Fatalf("%d tasks still leased, %d submitted of %d, %d acknowledged", leased, submitted, 400*3, len(acked))
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
