package detect

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"strings"

	"github.com/fogleman/gg"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font/gofont/gobold"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
)

var boxColours = []string{"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"}

// DrawDetections paints the detections of one frame onto it (a copy).
func DrawDetections(f media.Frame, ds []Detection) *image.RGBA {
	img := f.Image()
	dc := gg.NewContextForRGBA(img)
	font, _ := truetype.Parse(gobold.TTF)
	size := float64(max(14, f.Width/45))
	dc.SetFontFace(truetype.NewFace(font, &truetype.Options{Size: size}))
	lw := float64(max(2, f.Height/300))
	// The frame's time, so a frame shown alone says where it is.
	stamp := fmt.Sprintf("%s · frame %d", Clock(f.TimeMillis), f.Index)
	sw, sh := dc.MeasureString(stamp)
	dc.SetRGBA(0, 0, 0, 0.6)
	dc.DrawRectangle(0, float64(f.Height)-sh-10, sw+12, sh+10)
	dc.Fill()
	dc.SetHexColor("#ffffff")
	dc.DrawString(stamp, 6, float64(f.Height)-6)
	for _, d := range ds {
		col := d.Colour()
		dc.SetHexColor(col)
		dc.SetLineWidth(lw)
		dc.DrawRectangle(float64(d.Box.X), float64(d.Box.Y), float64(d.Box.W), float64(d.Box.H))
		dc.Stroke()
		label := fmt.Sprintf("%s %.2f #%d", d.Name(), d.Confidence, d.TrackID)
		tw, th := dc.MeasureString(label)
		y := float64(d.Box.Y) - th - 6
		if y < 0 {
			y = float64(d.Box.Y)
		}
		dc.DrawRectangle(float64(d.Box.X), y, tw+8, th+6)
		dc.Fill()
		dc.SetHexColor("#000000")
		dc.DrawString(label, float64(d.Box.X)+4, y+th+2)
	}
	return img
}

// Colour is the colour a box is drawn in: its track's, so one object
// keeps its colour from frame to frame.
func (d Detection) Colour() string { return BoxColour(d.TrackID) }

// BoxColour is the i-th colour boxes are drawn in (a palette that people
// with colour blindness can tell apart; the labeling editor's too).
func BoxColour(i int) string {
	return boxColours[((i%len(boxColours))+len(boxColours))%len(boxColours)]
}

// Name names a box by the phrase it answers ("red box", "white car
// with red wheels"), and by its class too when the phrase is a category
// ("dog · animals").
func (d Detection) Name() string {
	if d.Phrase == "" {
		return d.Label
	}
	if strings.Contains(d.Phrase, d.Label) {
		return d.Phrase
	}
	// "people" is the label person by another name, not a category
	if f := strings.Fields(d.Phrase); len(f) > 0 {
		if _, labels, ok := lookup(singular(f[len(f)-1])); ok && len(labels) == 1 && labels[0] == d.Label {
			return d.Phrase
		}
	}
	return d.Label + " · " + d.Phrase
}

// Clock is a time in a video as m:ss.s (0:03.5).
func Clock(ms int64) string {
	return fmt.Sprintf("%d:%04.1f", ms/60000, float64(ms%60000)/1000)
}

// Annotate writes the file with the result's boxes and labels drawn: a PNG
// for an image (or when out ends in .png), else an MP4 of the analysed
// frames at the analysis rate.
func Annotate(ctx context.Context, path, out string, res *Result, fps float64) error {
	info := res.Metadata
	byIndex := map[int][]Detection{}
	for _, fr := range res.Frames {
		byIndex[fr.FrameIndex] = fr.Detections
	}
	if info.Image || strings.HasSuffix(strings.ToLower(out), ".png") {
		var img *image.RGBA
		err := media.Frames(ctx, path, info, info.Width, info.Height, fps, func(f media.Frame) error {
			img = DrawDetections(f, byIndex[f.Index])
			return errStop
		})
		if err != nil && err != errStop {
			return err
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return err
		}
		return os.WriteFile(out, buf.Bytes(), 0o644)
	}
	w, h := info.Width/2*2, info.Height/2*2
	tmp := out + ".part.mp4"
	enc := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", fmt.Sprintf("%dx%d", w, h),
		"-r", fmt.Sprint(fps), "-i", "pipe:0", "-c:v", "libx264", "-pix_fmt", "yuv420p", tmp)
	var stderr bytes.Buffer
	enc.Stderr = &stderr
	in, err := enc.StdinPipe()
	if err != nil {
		return err
	}
	if err := enc.Start(); err != nil {
		return errcode.Wrap(errcode.Internal, err, "ffmpeg could not start")
	}
	err = media.Frames(ctx, path, info, w, h, fps, func(f media.Frame) error {
		img := DrawDetections(f, byIndex[f.Index])
		rgb := make([]byte, 0, w*h*3)
		for i := 0; i < w*h; i++ {
			rgb = append(rgb, img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2])
		}
		_, err := in.Write(rgb)
		return err
	})
	in.Close()
	if werr := enc.Wait(); err == nil && werr != nil {
		err = fmt.Errorf("encode %s: %v: %s", out, werr, stderr.String())
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, out) // nothing half-written under the final name
}

var errStop = fmt.Errorf("stop")
