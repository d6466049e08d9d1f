package media

import (
	"image"
	"math"
)

// Segment is a shot or a chapter.
type Segment struct {
	Index         int    `json:"index"`
	StartFrame    int    `json:"start_frame"`
	EndFrame      int    `json:"end_frame"`
	StartMillis   int64  `json:"start_millis"`
	EndMillis     int64  `json:"end_millis"`
	StartTimecode string `json:"start_timecode"`
	EndTimecode   string `json:"end_timecode"`
	signature     [3]float64
}

// ShotDetector finds shot boundaries in the manner of PySceneDetect's
// content detector (mean HSV difference between consecutive downscaled
// frames above a threshold) plus fades through black or white (a run of
// near-uniform dark or bright frames cuts in its middle), with a minimum
// shot length.
type ShotDetector struct {
	Threshold float64 // mean |ΔH|+|ΔS|+|ΔV| / 3 on a 0–255 scale (default 27)
	MinFrames int     // minimum shot length in frames (default 15)

	prev      []float64 // previous frame in HSV
	last      int       // last cut
	cuts      []int
	fadeStart int // first frame of the current dark/bright run, -1 if none
	sig       []([3]float64)
	frames    int
}

// NewShotDetector has the defaults.
func NewShotDetector() *ShotDetector {
	return &ShotDetector{Threshold: 27, MinFrames: 15, fadeStart: -1}
}

// HSV converts a pixel: hue in degrees (0–360), saturation and value 0–1.
func HSV(r, g, b byte) (float64, float64, float64) {
	R, G, B := float64(r)/255, float64(g)/255, float64(b)/255
	mx, mn := math.Max(R, math.Max(G, B)), math.Min(R, math.Min(G, B))
	h, s := 0.0, 0.0
	if mx > 0 {
		s = (mx - mn) / mx
	}
	if d := mx - mn; d > 0 {
		switch mx {
		case R:
			h = 60 * math.Mod((G-B)/d, 6)
		case G:
			h = 60 * ((B-R)/d + 2)
		default:
			h = 60 * ((R-G)/d + 4)
		}
		if h < 0 {
			h += 360
		}
	}
	return h, s, mx
}

// hsv255 is HSV on the 0–255 scale PySceneDetect's thresholds assume.
func hsv255(r, g, b byte) (float64, float64, float64) {
	h, s, v := HSV(r, g, b)
	return h * 255 / 360, s * 255, v * 255
}

// Image is the frame as an RGBA image (for encoders and libraries).
func (f Frame) Image() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, f.Width, f.Height))
	for i := 0; i < f.Width*f.Height; i++ {
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = f.RGB[3*i], f.RGB[3*i+1], f.RGB[3*i+2], 255
	}
	return img
}

// Crop is the part of the frame in the box x, y, w, h, clamped to it.
func (f Frame) Crop(x, y, w, h int) Frame {
	x, y = max(0, min(x, f.Width-1)), max(0, min(y, f.Height-1))
	w, h = max(1, min(w, f.Width-x)), max(1, min(h, f.Height-y))
	out := Frame{Index: f.Index, TimeMillis: f.TimeMillis, Width: w, Height: h, RGB: make([]byte, w*h*3)}
	for row := 0; row < h; row++ {
		copy(out.RGB[row*w*3:(row+1)*w*3], f.RGB[((y+row)*f.Width+x)*3:((y+row)*f.Width+x+w)*3])
	}
	return out
}

// Add feeds the next frame (every frame, in order).
func (d *ShotDetector) Add(f Frame) {
	n := f.Width * f.Height
	cur := make([]float64, 3*n)
	var sig [3]float64
	var vSum, vVar float64
	for i := 0; i < n; i++ {
		h, s, v := hsv255(f.RGB[3*i], f.RGB[3*i+1], f.RGB[3*i+2])
		cur[3*i], cur[3*i+1], cur[3*i+2] = h, s, v
		sig[0], sig[1], sig[2] = sig[0]+h, sig[1]+s, sig[2]+v
		vSum += v
	}
	mean := vSum / float64(n)
	for i := 0; i < n; i++ {
		dv := cur[3*i+2] - mean
		vVar += dv * dv
	}
	for k := range sig {
		sig[k] /= float64(n)
	}
	d.sig = append(d.sig, sig)
	// black, or white (bright and unsaturated): a fade's middle
	uniform := math.Sqrt(vVar/float64(n)) < 8 && (mean < 24 || mean > 232 && sig[1] < 24)
	switch {
	case uniform && d.fadeStart < 0:
		d.fadeStart = f.Index
	case !uniform && d.fadeStart >= 0:
		mid := (d.fadeStart + f.Index) / 2
		if mid-d.last >= d.MinFrames && d.fadeStart > 0 {
			d.cuts = append(d.cuts, mid)
			d.last = mid
		}
		d.fadeStart = -1
	}
	if d.prev != nil && d.fadeStart < 0 {
		var delta float64
		for i := range cur {
			delta += math.Abs(cur[i] - d.prev[i])
		}
		delta /= float64(len(cur))
		if delta >= d.Threshold && f.Index-d.last >= d.MinFrames {
			d.cuts = append(d.cuts, f.Index)
			d.last = f.Index
		}
	}
	d.prev = cur
	d.frames = f.Index + 1
}

// Cuts are the first frames of every shot after the first.
func (d *ShotDetector) Cuts() []int { return d.cuts }

// Shots turns the cuts into segments.
func (d *ShotDetector) Shots(fps float64) []Segment {
	starts := append([]int{0}, d.cuts...)
	var out []Segment
	for i, s := range starts {
		e := d.frames - 1
		if i+1 < len(starts) {
			e = starts[i+1] - 1
		}
		seg := segment(i, s, e, fps)
		var sig [3]float64
		for f := s; f <= e && f < len(d.sig); f++ {
			for k := range sig {
				sig[k] += d.sig[f][k] / float64(e-s+1)
			}
		}
		seg.signature = sig
		out = append(out, seg)
	}
	return out
}

func segment(i, s, e int, fps float64) Segment {
	ms := func(f int) int64 { return int64(math.Round(float64(f) * 1000 / fps)) }
	return Segment{Index: i, StartFrame: s, EndFrame: e, StartMillis: ms(s), EndMillis: ms(e + 1), StartTimecode: Timecode(s, fps), EndTimecode: Timecode(e, fps)}
}

// Chapters groups consecutive shots that look alike (mean HSV within
// maxDistance) into chapters of at most maxMillis.
func Chapters(shots []Segment, fps float64, maxDistance float64, maxMillis int64) []Segment {
	var out []Segment
	for _, sh := range shots {
		if n := len(out); n > 0 {
			last := &out[n-1]
			dist := 0.0
			for k := range sh.signature {
				dist += math.Abs(sh.signature[k]-last.signature[k]) / 3
			}
			if dist <= maxDistance && sh.EndMillis-last.StartMillis <= maxMillis {
				last.EndFrame, last.EndMillis, last.EndTimecode = sh.EndFrame, sh.EndMillis, sh.EndTimecode
				continue
			}
		}
		c := segment(len(out), sh.StartFrame, sh.EndFrame, fps)
		c.signature = sh.signature
		out = append(out, c)
	}
	return out
}

// Downscale averages src into dst's size (box filter), for the shot
// detector's small frames from one shared decode.
func Downscale(src Frame, dst *Frame) {
	dst.Index, dst.TimeMillis = src.Index, src.TimeMillis
	for y := 0; y < dst.Height; y++ {
		y0, y1 := y*src.Height/dst.Height, max((y+1)*src.Height/dst.Height, y*src.Height/dst.Height+1)
		for x := 0; x < dst.Width; x++ {
			x0, x1 := x*src.Width/dst.Width, max((x+1)*src.Width/dst.Width, x*src.Width/dst.Width+1)
			var r, g, b, n int
			for yy := y0; yy < y1; yy++ {
				row := yy * src.Width * 3
				for xx := x0; xx < x1; xx++ {
					i := row + xx*3
					r, g, b = r+int(src.RGB[i]), g+int(src.RGB[i+1]), b+int(src.RGB[i+2])
					n++
				}
			}
			o := (y*dst.Width + x) * 3
			dst.RGB[o], dst.RGB[o+1], dst.RGB[o+2] = byte(r/n), byte(g/n), byte(b/n)
		}
	}
}
