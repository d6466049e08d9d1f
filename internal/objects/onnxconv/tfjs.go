package onnxconv

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// The TF.js graph-model format (model.json + weight shards): a frozen
// TensorFlow GraphDef in JSON, and a manifest of the weights in the order
// they are concatenated in the shards.

type tfjsModel struct {
	Format      string `json:"format"`
	GeneratedBy string `json:"generatedBy"`
	ConvertedBy string `json:"convertedBy"`
	Signature   struct {
		Inputs  map[string]tfjsTensorInfo `json:"inputs"`
		Outputs map[string]tfjsTensorInfo `json:"outputs"`
	} `json:"signature"`
	ModelTopology struct {
		Node []tfjsNode `json:"node"`
	} `json:"modelTopology"`
	WeightsManifest []struct {
		Paths   []string     `json:"paths"`
		Weights []weightSpec `json:"weights"`
	} `json:"weightsManifest"`
}

type tfjsTensorInfo struct {
	Name        string          `json:"name"`
	DType       string          `json:"dtype"`
	TensorShape tfjsTensorShape `json:"tensorShape"`
}

type tfjsTensorShape struct {
	Dim []struct {
		Size string `json:"size"`
	} `json:"dim"`
}

func (s tfjsTensorShape) dims() ([]int64, error) {
	out := make([]int64, len(s.Dim))
	for i, d := range s.Dim {
		v, err := strconv.ParseInt(d.Size, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("dimension %q: %w", d.Size, err)
		}
		out[i] = v
	}
	return out, nil
}

type tfjsNode struct {
	Name  string                     `json:"name"`
	Op    string                     `json:"op"`
	Input []string                   `json:"input"`
	Attr  map[string]json.RawMessage `json:"attr"`
}

type weightSpec struct {
	Name         string  `json:"name"`
	Shape        []int64 `json:"shape"`
	DType        string  `json:"dtype"`
	Quantization *struct {
		DType         string  `json:"dtype"`
		OriginalDType string  `json:"original_dtype"`
		Scale         float64 `json:"scale"`
		Min           float64 `json:"min"`
	} `json:"quantization"`
}

// attrValue is TF's AttrValue as TF.js writes it in JSON.
type attrValue struct {
	S    *string  `json:"s"`
	I    *string  `json:"i"`
	F    *float64 `json:"f"`
	B    *bool    `json:"b"`
	Type *string  `json:"type"`
	List *struct {
		S []string `json:"s"`
		I []string `json:"i"`
	} `json:"list"`
}

func (n *tfjsNode) attr(name string) (attrValue, bool) {
	raw, ok := n.Attr[name]
	if !ok {
		return attrValue{}, false
	}
	var v attrValue
	if err := json.Unmarshal(raw, &v); err != nil {
		return attrValue{}, false
	}
	return v, true
}

func (n *tfjsNode) attrString(name string) string {
	v, ok := n.attr(name)
	if !ok || v.S == nil {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(*v.S)
	if err != nil {
		return ""
	}
	return string(b)
}

func (n *tfjsNode) attrStrings(name string) []string {
	v, ok := n.attr(name)
	if !ok || v.List == nil {
		return nil
	}
	out := make([]string, 0, len(v.List.S))
	for _, s := range v.List.S {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil
		}
		out = append(out, string(b))
	}
	return out
}

func (n *tfjsNode) attrInt(name string, def int64) int64 {
	v, ok := n.attr(name)
	if !ok || v.I == nil {
		return def
	}
	i, err := strconv.ParseInt(*v.I, 10, 64)
	if err != nil {
		return def
	}
	return i
}

func (n *tfjsNode) attrInts(name string) []int64 {
	v, ok := n.attr(name)
	if !ok || v.List == nil {
		return nil
	}
	out := make([]int64, 0, len(v.List.I))
	for _, s := range v.List.I {
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil
		}
		out = append(out, i)
	}
	return out
}

func (n *tfjsNode) attrBool(name string) bool {
	v, ok := n.attr(name)
	return ok && v.B != nil && *v.B
}

func (n *tfjsNode) attrType(name string) string {
	v, ok := n.attr(name)
	if !ok || v.Type == nil {
		return ""
	}
	return *v.Type
}

// readWeights splits the concatenated shards into one tensor per weight,
// dequantising float16 (and uint8/uint16 affine) weights to float32.
func readWeights(specs []weightSpec, data []byte) (map[string]*tensor, error) {
	out := make(map[string]*tensor, len(specs))
	off := 0
	take := func(name string, n int) ([]byte, error) {
		if off+n > len(data) {
			return nil, fmt.Errorf("weight %s: the weights file ends %d bytes too early", name, off+n-len(data))
		}
		b := data[off : off+n]
		off += n
		return b, nil
	}
	for _, s := range specs {
		t := &tensor{dims: append([]int64{}, s.Shape...)}
		for _, d := range t.dims {
			if d < 0 || d > 1<<30 {
				return nil, fmt.Errorf("weight %s: shape %v", s.Name, s.Shape)
			}
		}
		if t.size() > int64(len(data)) {
			return nil, fmt.Errorf("weight %s: shape %v is larger than the weights file", s.Name, s.Shape)
		}
		n := int(t.size())
		switch {
		case s.Quantization != nil && s.Quantization.DType == "float16":
			b, err := take(s.Name, 2*n)
			if err != nil {
				return nil, err
			}
			t.dtype = onnxFloat
			t.f32 = make([]float32, n)
			for i := range t.f32 {
				t.f32[i] = halfToFloat(binary.LittleEndian.Uint16(b[2*i:]))
			}
		case s.Quantization != nil && (s.Quantization.DType == "uint8" || s.Quantization.DType == "uint16"):
			width := 1
			if s.Quantization.DType == "uint16" {
				width = 2
			}
			b, err := take(s.Name, width*n)
			if err != nil {
				return nil, err
			}
			t.dtype = onnxFloat
			t.f32 = make([]float32, n)
			for i := range t.f32 {
				q := uint32(b[i])
				if width == 2 {
					q = uint32(binary.LittleEndian.Uint16(b[2*i:]))
				}
				t.f32[i] = float32(float64(q)*s.Quantization.Scale + s.Quantization.Min)
			}
		case s.Quantization != nil:
			return nil, fmt.Errorf("weight %s: quantisation %s is not supported", s.Name, s.Quantization.DType)
		case s.DType == "float32":
			b, err := take(s.Name, 4*n)
			if err != nil {
				return nil, err
			}
			t.dtype = onnxFloat
			t.f32 = make([]float32, n)
			for i := range t.f32 {
				t.f32[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
			}
		case s.DType == "int32":
			b, err := take(s.Name, 4*n)
			if err != nil {
				return nil, err
			}
			t.dtype = onnxInt32
			t.i32 = make([]int32, n)
			for i := range t.i32 {
				t.i32[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
			}
		default:
			return nil, fmt.Errorf("weight %s: dtype %s is not supported", s.Name, s.DType)
		}
		out[s.Name] = t
	}
	if off != len(data) {
		return nil, fmt.Errorf("the weights file has %d bytes the manifest does not describe", len(data)-off)
	}
	return out, nil
}

// halfToFloat converts an IEEE 754 binary16 to float32 exactly.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: normalise
		e := int32(-14)
		for frac&0x400 == 0 {
			frac <<= 1
			e--
		}
		frac &= 0x3ff
		return math.Float32frombits(sign | uint32(e+127)<<23 | frac<<13)
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	}
	return math.Float32frombits(sign | (exp-15+127)<<23 | frac<<13)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
