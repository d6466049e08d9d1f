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

// BenchmarkObjects: the object detector on every sampled frame (2 frames/s)
// of a 60-second 1280×720 clip panning across a real photograph (the
// walker, the dog and the horse), decode, attributes and tracking
// included, OCR aside; as × real time (the target is 5×).
func BenchmarkObjects(b *testing.B) {
	if _, err := detect.SharedObjects(); err != nil {
		b.Skip(err)
	}
	p := filepath.Join(b.TempDir(), "pan.mp4")
	mediatest.FFmpeg(b, "-loop", "1", "-framerate", "25", "-t", "60", "-i", "testdata/photos/person.jpg",
		"-vf", "scale=1920:-2,crop=1280:720:'(in_w-1280)*t/60':'(in_h-720)/2'", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", p)
	ctx := context.Background()
	var frames int
	t0 := time.Now()
	for b.Loop() {
		res, err := detect.Run(ctx, p, "Detect the people, the dog and the white horse", nil, detect.Options{FPS: 2}, detect.Setup{})
		if err != nil {
			b.Fatal(err)
		}
		frames = len(res.Frames)
	}
	per := time.Since(t0).Seconds() / float64(b.N)
	b.ReportMetric(60/per, "objects-x-realtime")
	b.ReportMetric(per*1000/float64(frames), "ms/sampled-frame")
}
