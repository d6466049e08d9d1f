package detect

import (
	"math"
	"math/cmplx"
	"sort"

	"github.com/scry-dev/scry/internal/media"
)

// srSide is the side of the square the spectral residual is computed on,
// as in Hou and Zhang's paper (CVPR 2007): the log spectrum of natural
// images is smooth at this scale, and what departs from it is what stands
// out.
const srSide = 64

// salient finds the most visually important regions by spectral-residual
// saliency: the grey frame, squeezed to 64×64, is Fourier-transformed; the
// log amplitude minus its 3×3 local mean (the "residual") is transformed
// back with the original phase; the squared result, blurred, is the
// saliency map. Regions above three times its mean (the paper's object
// threshold) become boxes, strongest first; confidence is 0.5 plus half the
// region's mean saliency relative to the map's peak.
func salient(f media.Frame, minArea int, sx, sy float64) []Candidate {
	sal := spectralResidual(f)
	mean, peak := 0.0, 0.0
	for _, v := range sal {
		mean += v
		peak = math.Max(peak, v)
	}
	mean /= float64(len(sal))
	if peak <= 0 {
		return nil
	}
	mask := make([]bool, len(sal))
	for i, v := range sal {
		mask[i] = v > 3*mean
	}
	// The map's cells are w/64 × h/64 pixels of the analysed frame.
	cx, cy := float64(f.Width)/srSide, float64(f.Height)/srSide
	minCells := max(1, int(float64(minArea)/(cx*cy)))
	type region struct {
		c        component
		strength float64
	}
	var regions []region
	for _, c := range components(mask, srSide, srSide, minCells) {
		sum := 0.0
		for y := c.box.Y; y < c.box.Y+c.box.H; y++ {
			for x := c.box.X; x < c.box.X+c.box.W; x++ {
				if mask[y*srSide+x] {
					sum += sal[y*srSide+x]
				}
			}
		}
		regions = append(regions, region{c, sum / float64(c.area) / peak})
	}
	// The residual lights an object's edges more than its inside, so one
	// object may give several regions: each is tightened to its pixels and
	// boxes closer than two cells are merged.
	var out []Candidate
	for _, r := range regions {
		out = append(out, Candidate{Phrase: -1, Label: "salient region", Confidence: math.Round((0.5+r.strength/2)*1000) / 1000,
			Box: tighten(f, scale(r.c.box, cx, cy), minArea)})
	}
	gapX, gapY := int(math.Ceil(2*cx)), int(math.Ceil(2*cy))
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(out) && !merged; i++ {
			for j := i + 1; j < len(out); j++ {
				a, b := out[i].Box, out[j].Box
				if a.X-gapX <= b.X+b.W && b.X-gapX <= a.X+a.W && a.Y-gapY <= b.Y+b.H && b.Y-gapY <= a.Y+a.H {
					x0, y0 := min(a.X, b.X), min(a.Y, b.Y)
					out[i].Box = Box{X: x0, Y: y0, W: max(a.X+a.W, b.X+b.W) - x0, H: max(a.Y+a.H, b.Y+b.H) - y0}
					out[i].Confidence = math.Max(out[i].Confidence, out[j].Confidence)
					out = append(out[:j], out[j+1:]...)
					merged = true
					break
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Confidence > out[j].Confidence })
	if len(out) > 5 {
		out = out[:5]
	}
	for i := range out {
		out[i].Box = scale(out[i].Box, sx, sy)
	}
	return out
}

// tighten shrinks a salient box (coarse: 64×64 cells) to the pixels in it
// that differ clearly in colour from the box's own border, which is mostly
// background; a box with too few such pixels is kept as it is.
func tighten(f media.Frame, b Box, minArea int) Box {
	// widen by two cells first: the map's threshold may cut an object's
	// edge, and its inside may lie outside an edge region
	cw, ch := max(1, 2*f.Width/srSide), max(1, 2*f.Height/srSide)
	x0, y0 := max(0, b.X-cw), max(0, b.Y-ch)
	x1, y1 := min(f.Width, b.X+b.W+cw), min(f.Height, b.Y+b.H+ch)
	// The border's per-channel median is the background: an object the
	// border crosses is a minority of it and does not move the median.
	var border [3][]float64
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if y != y0 && y != y1-1 && x != x0 && x != x1-1 {
				continue
			}
			p := f.RGB[(y*f.Width+x)*3:]
			for c := range 3 {
				border[c] = append(border[c], float64(p[c]))
			}
		}
	}
	if len(border[0]) == 0 {
		return b
	}
	var bg [3]float64
	for c := range 3 {
		sort.Float64s(border[c])
		bg[c] = border[c][len(border[c])/2]
	}
	minX, minY, maxX, maxY, n := x1, y1, -1, -1, 0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			p := f.RGB[(y*f.Width+x)*3:]
			dr, dg, db := float64(p[0])-bg[0], float64(p[1])-bg[1], float64(p[2])-bg[2]
			if dr*dr+dg*dg+db*db > 40*40 {
				minX, maxX, minY, maxY, n = min(minX, x), max(maxX, x), min(minY, y), max(maxY, y), n+1
			}
		}
	}
	if n < max(minArea, 4) {
		return b
	}
	return Box{X: minX, Y: minY, W: maxX - minX + 1, H: maxY - minY + 1}
}

// spectralResidual returns the 64×64 saliency map of f, row-major: the sum
// of the maps of three opponent channels (intensity, red–green,
// blue–yellow), so that an orange square on a grey of equal brightness
// stands out as it does to the eye.
func spectralResidual(f media.Frame) []float64 {
	n := srSide
	chans := [3][]complex128{make([]complex128, n*n), make([]complex128, n*n), make([]complex128, n*n)}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			// area average of the frame's pixels under this cell
			x0, x1 := x*f.Width/n, max((x+1)*f.Width/n, x*f.Width/n+1)
			y0, y1 := y*f.Height/n, max((y+1)*f.Height/n, y*f.Height/n+1)
			var r, g, b int
			for yy := y0; yy < y1; yy++ {
				for xx := x0; xx < x1; xx++ {
					p := f.RGB[(yy*f.Width+xx)*3:]
					r, g, b = r+int(p[0]), g+int(p[1]), b+int(p[2])
				}
			}
			k := float64((x1-x0)*(y1-y0)) * 255
			R, G, B := float64(r)/k, float64(g)/k, float64(b)/k
			chans[0][y*n+x] = complex((R+G+B)/3, 0)
			chans[1][y*n+x] = complex(R-G, 0)
			chans[2][y*n+x] = complex(B-(R+G)/2, 0)
		}
	}
	sal := make([]float64, n*n)
	logAmp := make([]float64, n*n)
	for _, grid := range chans {
		fft2(grid, n, false)
		for i, v := range grid {
			logAmp[i] = math.Log(cmplx.Abs(v) + 1e-9)
		}
		smooth := boxBlur(logAmp, n, 1)
		for i, v := range grid {
			grid[i] = cmplx.Rect(math.Exp(logAmp[i]-smooth[i]), cmplx.Phase(v))
		}
		fft2(grid, n, true)
		for i, v := range grid {
			a := cmplx.Abs(v)
			sal[i] += a * a
		}
	}
	// Three box passes of radius 2: a Gaussian of σ ≈ 2.4 cells, which
	// joins an object's edges into one region (the paper blurs more, at
	// σ = 8, and gets blobs; tighten() recovers the edges instead).
	for range 3 {
		sal = boxBlur(sal, n, 2)
	}
	return sal
}

// boxBlur averages each cell of the n×n grid with its neighbours within r
// (clamped at the edges).
func boxBlur(in []float64, n, r int) []float64 {
	out := make([]float64, len(in))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			sum, k := 0.0, 0
			for yy := max(0, y-r); yy <= min(n-1, y+r); yy++ {
				for xx := max(0, x-r); xx <= min(n-1, x+r); xx++ {
					sum += in[yy*n+xx]
					k++
				}
			}
			out[y*n+x] = sum / float64(k)
		}
	}
	return out
}

// fft2 transforms the n×n grid in place (n a power of two), rows then
// columns; inverse includes the 1/n² scaling.
func fft2(g []complex128, n int, inverse bool) {
	col := make([]complex128, n)
	for y := 0; y < n; y++ {
		fft(g[y*n:(y+1)*n], inverse)
	}
	for x := 0; x < n; x++ {
		for y := 0; y < n; y++ {
			col[y] = g[y*n+x]
		}
		fft(col, inverse)
		for y := 0; y < n; y++ {
			g[y*n+x] = col[y]
		}
	}
	if inverse {
		s := complex(1/float64(n*n), 0)
		for i := range g {
			g[i] *= s
		}
	}
}

// fft is the iterative radix-2 Cooley–Tukey transform.
func fft(a []complex128, inverse bool) {
	n := len(a)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			a[i], a[j] = a[j], a[i]
		}
	}
	sign := -1.0
	if inverse {
		sign = 1
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Rect(1, sign*2*math.Pi/float64(size))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				u, v := a[start+k], a[start+k+size/2]*wk
				a[start+k], a[start+k+size/2] = u+v, u-v
				wk *= w
			}
		}
	}
}
