package chart

import (
	"math"
	"strconv"
	"strings"
)

// niceNum rounds x to 1, 2, 5 or 10 times a power of ten (Heckbert,
// "Nice numbers for graph labels", Graphics Gems 1990).
func niceNum(x float64, round bool) float64 {
	if x <= 0 {
		return 1
	}
	exp := math.Floor(math.Log10(x))
	f := x / math.Pow(10, exp)
	var nf float64
	switch {
	case round && f < 1.5, !round && f <= 1:
		nf = 1
	case round && f < 3, !round && f <= 2:
		nf = 2
	case round && f < 7, !round && f <= 5:
		nf = 5
	default:
		nf = 10
	}
	return nf * math.Pow(10, exp)
}

// Ticks returns about n nicely spaced values covering [lo, hi], starting at
// or below lo and ending at or above hi.
func Ticks(lo, hi float64, n int) []float64 {
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi == lo {
		if hi == 0 {
			hi = 1
		} else {
			lo, hi = math.Min(0, lo), math.Max(0, hi)
			if lo == hi {
				hi = lo + 1
			}
		}
	}
	rng := niceNum(hi-lo, false)
	step := niceNum(rng/float64(max(n-1, 1)), true)
	start := math.Floor(lo/step) * step
	end := math.Ceil(hi/step) * step
	var out []float64
	for v := start; v <= end+step/2; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// Short formats v for axes and labels: 950, 1.2k, 3.4M.
func Short(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return trim(v/1e9) + "B"
	case a >= 1e6:
		return trim(v/1e6) + "M"
	case a >= 1e3:
		return trim(v/1e3) + "k"
	}
	return trim(v)
}

func trim(v float64) string {
	if a := math.Abs(v); a > 0 && a < 1 {
		// a ratio of 0.14 and one of 0.13 both read 0.1 with one decimal
		return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v, 'f', 2, 64), "0"), ".")
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if math.Abs(v) >= 100 || v == math.Trunc(v) {
		s = strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	return strings.TrimSuffix(s, ".0")
}
