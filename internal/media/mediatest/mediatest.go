// Package mediatest makes test media with the real ffmpeg.
package mediatest

import (
	"os/exec"
	"testing"
)

// FFmpeg runs ffmpeg with args (quiet, overwriting), failing the test on
// error; without ffmpeg on PATH the test says so and skips.
func FFmpeg(t testing.TB, args ...string) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("media tests skipped: no ffmpeg on PATH (apt-get install ffmpeg)")
	}
	if out, err := exec.Command("ffmpeg", append([]string{"-v", "error", "-y"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, out)
	}
}
