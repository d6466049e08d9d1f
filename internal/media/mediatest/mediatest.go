// Package mediatest makes test media with the real ffmpeg.
package mediatest

import (
	"fmt"
	"os/exec"
	"path/filepath"
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

// Square makes name in a temporary folder: seconds of a grey 320×180 video
// at 10 frames/s with a 60×60 square of colour at (40, 50).
func Square(t testing.TB, name, colour string, seconds int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	FFmpeg(t, "-f", "lavfi", "-i", fmt.Sprintf("color=c=gray:s=320x180:r=10:d=%d", seconds), "-f", "lavfi", "-i", fmt.Sprintf("color=c=%s:s=60x60:r=10:d=%d", colour, seconds),
		"-filter_complex", "[0][1]overlay=x=40:y=50", "-pix_fmt", "yuv420p", path)
	return path
}
