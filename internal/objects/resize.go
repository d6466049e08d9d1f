package objects

import "math"

// resizeBilinear scales an RGB frame (3 bytes a pixel) to w×h float32 RGB,
// 0–255, the way TensorFlow's ResizeBilinear does with align_corners and
// half_pixel_centers both false (tf.image.resizeBilinear's defaults, which
// the model's reference pipeline uses): source = destination × in/out,
// interpolated between the pixel at floor(source) and the next one, clamped
// at the edge. Arithmetic is float64 rounded to float32 at the end, as in
// TF.js's CPU kernel, so both sides see the same input tensor.
func resizeBilinear(dst []float32, rgb []byte, inW, inH, w, h int) {
	ry := float64(inH) / float64(h)
	rx := float64(inW) / float64(w)
	x0s := make([]int, w)
	x1s := make([]int, w)
	fxs := make([]float64, w)
	for x := range w {
		sx := rx * float64(x)
		x0 := int(math.Floor(sx))
		x0s[x], x1s[x], fxs[x] = x0*3, min(inW-1, int(math.Ceil(sx)))*3, sx-float64(x0)
	}
	i := 0
	for y := range h {
		sy := ry * float64(y)
		y0 := int(math.Floor(sy))
		y1 := min(inH-1, int(math.Ceil(sy)))
		fy := sy - float64(y0)
		top := rgb[y0*inW*3 : (y0+1)*inW*3]
		bot := rgb[y1*inW*3 : (y1+1)*inW*3]
		for x := range w {
			x0, x1, fx := x0s[x], x1s[x], fxs[x]
			for c := range 3 {
				tl, tr := float64(top[x0+c]), float64(top[x1+c])
				bl, br := float64(bot[x0+c]), float64(bot[x1+c])
				t := tl + (tr-tl)*fx
				b := bl + (br-bl)*fx
				dst[i] = float32(t + (b-t)*fy)
				i++
			}
		}
	}
}
