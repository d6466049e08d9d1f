// Command busyloop keeps CPU cores busy for a bounded time, so that the
// test suite can be run as on a loaded machine (`make test-load`): a test
// that passes only on an idle machine is waiting for time, not for its
// condition.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	cores := flag.Int("cores", runtime.NumCPU(), "how many cores to keep busy")
	bound := flag.Duration("for", 30*time.Minute, "stop after this long even if nobody stops it")
	flag.Parse()
	if *cores < 1 || *bound <= 0 {
		fmt.Fprintln(os.Stderr, "busyloop: -cores must be at least 1 and -for positive")
		os.Exit(2)
	}
	var stop atomic.Bool
	for range *cores {
		go func() {
			x := uint64(1)
			for !stop.Load() {
				for range 1 << 16 { // spin; check the flag now and then
					x = x*6364136223846793005 + 1442695040888963407
				}
			}
			_ = x
		}()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case <-sig:
	case <-time.After(*bound):
	}
	stop.Store(true)
}
