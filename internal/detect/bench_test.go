package detect_test

import (
	"context"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"path/filepath"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/media"
)

// BenchmarkVideo: a generated 60-second 1280×720 clip. Shot detection over
// every frame beside ffmpeg alone decoding the same frames, and the full
// built-in analysis at 2 frames/s, as frames per second and × real time.
func BenchmarkVideo(b *testing.B) {
	p := filepath.Join(b.TempDir(), "clip.mp4")
	mediatest.FFmpeg(b, "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=60", "-f", "lavfi", "-i", "color=c=red:s=160x120:r=25:d=60",
		"-filter_complex", "[0][1]overlay=x='100+t*15':y=300", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", p)
	ctx := context.Background()
	info, err := media.Probe(ctx, p, media.DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	var decode, shots, full time.Duration
	for b.Loop() {
		t0 := time.Now()
		media.Frames(ctx, p, info, 64, 36, 0, func(media.Frame) error { return nil })
		decode += time.Since(t0)
		t0 = time.Now()
		sd := media.NewShotDetector()
		media.Frames(ctx, p, info, 64, 36, 0, func(f media.Frame) error { sd.Add(f); return nil })
		shots += time.Since(t0)
		t0 = time.Now()
		if _, err := detect.Run(ctx, p, "Detect the red box", nil, detect.Options{FPS: 2, OCR: &detect.OCR{}}, detect.Setup{}); err != nil {
			b.Fatal(err)
		}
		full += time.Since(t0)
	}
	n := float64(b.N)
	frames := float64(info.FrameCount)
	b.ReportMetric(frames/(decode.Seconds()/n), "ffmpeg-decode-fps")
	b.ReportMetric(frames/(shots.Seconds()/n), "shot-detection-fps")
	b.ReportMetric(shots.Seconds()/decode.Seconds(), "shots/decode")
	b.ReportMetric(60/(full.Seconds()/n), "analysis-x-realtime")
}
