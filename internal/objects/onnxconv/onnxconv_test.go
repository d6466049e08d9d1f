package onnxconv

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// Every binary16 value converts to the float32 of the same value.
func TestHalfToFloat(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		sign := 1.0
		if h&0x8000 != 0 {
			sign = -1
		}
		exp, frac := (h>>10)&0x1f, h&0x3ff
		var want float64
		switch exp {
		case 0:
			want = sign * math.Ldexp(float64(frac), -24)
		case 0x1f:
			if frac != 0 {
				if got := halfToFloat(uint16(h)); !math.IsNaN(float64(got)) {
					t.Fatalf("%#04x: %v, want NaN", h, got)
				}
				continue
			}
			want = math.Inf(int(sign))
		default:
			want = sign * math.Ldexp(1+float64(frac)/1024, exp-15)
		}
		if got := halfToFloat(uint16(h)); float64(got) != want || math.Signbit(float64(got)) != (sign < 0) {
			t.Fatalf("%#04x: %v, want %v", h, got, want)
		}
	}
}

const tinyModel = `{"format": "graph-model",
 "signature": {"inputs": {"x": {"name": "x", "dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "1"}, {"size": "4"}, {"size": "4"}, {"size": "2"}]}}},
               "outputs": {"y": {"name": "y", "dtype": "DT_FLOAT"}}},
 "modelTopology": {"node": [
   {"name": "x", "op": "Placeholder"},
   {"name": "w", "op": "Const"},
   {"name": "y", "op": "OP", "input": ["x", "w"]}]},
 "weightsManifest": [{"paths": ["w.bin"], "weights": [{"name": "w", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16", "original_dtype": "float32"}}]}]}`

func shard(b []byte) func(string) ([]byte, error) {
	return func(string) ([]byte, error) { return b, nil }
}

func half(vs ...uint16) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	return b
}

// A graph of supported ops converts; an op it does not know is refused by
// name instead of being left out.
func TestConvertTinyGraphs(t *testing.T) {
	m, err := Convert([]byte(strings.Replace(tinyModel, "OP", "Mul", 1)), shard(half(0x3c00, 0x4000)))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Inputs) != 1 || m.Inputs[0].Name != "x" || len(m.Outputs) != 1 || m.Outputs[0].Name != "y" || len(m.ONNX) == 0 {
		t.Fatalf("converted %+v", m)
	}
	_, err = Convert([]byte(strings.Replace(tinyModel, "OP", "Softplus", 1)), shard(half(0x3c00, 0x4000)))
	if err == nil || !strings.Contains(err.Error(), "Softplus is not supported") {
		t.Fatalf("unsupported op: %v", err)
	}
	_, err = Convert([]byte(strings.Replace(tinyModel, "OP", "Mul", 1)), shard(half(0x3c00)))
	if err == nil || !strings.Contains(err.Error(), "too early") {
		t.Fatalf("short weights: %v", err)
	}
	_, err = Convert([]byte(strings.Replace(tinyModel, "OP", "Mul", 1)), shard(half(0x3c00, 0x4000, 0)))
	if err == nil || !strings.Contains(err.Error(), "does not describe") {
		t.Fatalf("long weights: %v", err)
	}
}

// The per-channel constant of an element-wise op broadcasts over NCHW as it
// did over NHWC, and a 4-D constant is transposed.
func TestConstNCHW(t *testing.T) {
	v, err := constNCHW(&tensor{dims: []int64{3}, dtype: onnxFloat, f32: []float32{1, 2, 3}})
	if err != nil || len(v.dims) != 3 || v.dims[0] != 3 || v.dims[1] != 1 || v.dims[2] != 1 {
		t.Fatalf("vector: %v %v", v, err)
	}
	// NHWC [1,1,2,3]: pixel p, channel c holds 10p+c.
	in := &tensor{dims: []int64{1, 1, 2, 3}, dtype: onnxFloat, f32: []float32{0, 1, 2, 10, 11, 12}}
	v, err = constNCHW(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 10, 1, 11, 2, 12}
	for i := range want {
		if v.f32[i] != want[i] {
			t.Fatalf("transposed %v, want %v", v.f32, want)
		}
	}
}

// Whatever model.json holds, Convert returns an error or a model, never panics.
func FuzzConvert(f *testing.F) {
	f.Add([]byte(strings.Replace(tinyModel, "OP", "Mul", 1)), half(0x3c00, 0x4000))
	f.Add([]byte(strings.Replace(tinyModel, "OP", "ConcatV2", 1)), half(1, 2))
	f.Add([]byte(`{"format":"graph-model","weightsManifest":[{"paths":["a"],"weights":[{"name":"w","shape":[-1],"dtype":"int32"}]}]}`), []byte{1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, js, bin []byte) {
		Convert(js, shard(bin))
	})
}
