// Package onnxconv converts a TensorFlow.js graph model (model.json and its
// weight shards) into an ONNX model that ONNX Runtime can run.
//
// It covers the op types of the CenterNet detector that scry ships with
// (fused and depthwise convolutions, element-wise arithmetic, activations,
// mean, concat, bilinear resize, max pool, top-k, gather and the index
// arithmetic around them) and refuses any other op by name, so an
// unsupported model fails at load rather than computing something else.
//
// TensorFlow graphs are NHWC; ONNX convolutions are NCHW. The converter
// tracks the layout of every 4-D value: convolutions, pools, resizes and
// the element-wise ops between them stay NCHW, and a value is transposed
// back to NHWC only where an op depends on the element order (reshape,
// slice, gather, top-k) or where it leaves the graph.
package onnxconv

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Opset is the ONNX operator set the output uses (Resize with axes needs 18).
const Opset = 18

// Tensor names a graph input or output and its shape.
type Tensor struct {
	Name  string
	Shape []int64
}

// Model is a converted model.
type Model struct {
	ONNX    []byte // a serialised ONNX ModelProto
	Inputs  []Tensor
	Outputs []Tensor
}

// ConvertFiles reads dir/name.json and the weight shards it names, and
// converts the graph that computes outputs (all the signature's outputs when
// none are given).
func ConvertFiles(dir, name string, outputs ...string) (*Model, error) {
	js, err := os.ReadFile(filepath.Join(dir, name+".json"))
	if err != nil {
		return nil, err
	}
	return Convert(js, func(path string) ([]byte, error) {
		if strings.Contains(path, "..") || filepath.IsAbs(path) {
			return nil, fmt.Errorf("weights path %q leaves the model's folder", path)
		}
		return os.ReadFile(filepath.Join(dir, path))
	}, outputs...)
}

// Convert converts a TF.js graph model; shard reads a weights file named in
// the manifest.
func Convert(modelJSON []byte, shard func(path string) ([]byte, error), outputs ...string) (*Model, error) {
	var m tfjsModel
	if err := jsonUnmarshal(modelJSON, &m); err != nil {
		return nil, fmt.Errorf("read model.json: %w", err)
	}
	if m.Format != "graph-model" {
		return nil, fmt.Errorf("model format %q is not a TF.js graph model", m.Format)
	}
	var specs []weightSpec
	var data []byte
	for _, g := range m.WeightsManifest {
		for _, p := range g.Paths {
			b, err := shard(p)
			if err != nil {
				return nil, fmt.Errorf("read weights: %w", err)
			}
			data = append(data, b...)
		}
		specs = append(specs, g.Weights...)
	}
	weights, err := readWeights(specs, data)
	if err != nil {
		return nil, err
	}
	c := &converter{
		nodes:   map[string]*tfjsNode{},
		weights: weights,
		vals:    map[string]value{},
		done:    map[string]bool{},
		inits:   map[string]bool{},
		model:   &m,
	}
	for i := range m.ModelTopology.Node {
		n := &m.ModelTopology.Node[i]
		c.nodes[n.Name] = n
	}
	if len(outputs) == 0 {
		for _, o := range m.Signature.Outputs {
			outputs = append(outputs, o.Name)
		}
		slices.Sort(outputs)
	}
	res := &Model{}
	var graph pb
	var outInfos []pb
	for _, o := range outputs {
		v, err := c.value(o)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(o, ":0")
		c.emit(node{op: "Identity", name: name + "/output", inputs: []string{c.nhwc(v)}, outputs: []string{name}})
		var dims []int64
		for _, s := range m.Signature.Outputs {
			if s.Name == name {
				dims, _ = s.TensorShape.dims()
			}
		}
		res.Outputs = append(res.Outputs, Tensor{Name: name, Shape: dims})
		outInfos = append(outInfos, valueInfo(name, onnxFloat, dims))
	}
	if c.err != nil {
		return nil, c.err
	}
	for _, n := range c.out {
		graph.msg(1, n.encode())
	}
	graph.str(2, "tfjs")
	for _, t := range c.initList {
		graph.msg(5, t)
	}
	for _, in := range c.inputs {
		graph.msg(11, valueInfo(in.Name, onnxFloat, in.Shape))
	}
	for _, o := range outInfos {
		graph.msg(12, o)
	}
	res.Inputs = c.inputs
	var opset pb
	opset.varint(2, Opset)
	var model pb
	model.varint(1, 8) // IR version 8 (ONNX 1.13), enough for opset 18
	model.str(2, "scry onnxconv")
	model.msg(7, graph)
	model.msg(8, opset)
	res.ONNX = model
	return res, nil
}

// value is a converted TF tensor: an ONNX value name and its layout, or a
// constant that is written as an initializer where it is used.
type value struct {
	name string
	nchw bool    // a 4-D value held in NCHW order
	c    *tensor // set for constants
	cn   string  // the constant's node name
}

type converter struct {
	model    *tfjsModel
	nodes    map[string]*tfjsNode
	weights  map[string]*tensor
	vals     map[string]value // by "node:index"
	done     map[string]bool
	out      []node
	inits    map[string]bool
	initList []pb
	inputs   []Tensor
	err      error
}

func (c *converter) emit(n node) {
	c.out = append(c.out, n)
}

func (c *converter) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf(format, args...)
	}
}

// init writes t as an initializer called name (once) and returns name.
func (c *converter) init(name string, t *tensor) string {
	if !c.inits[name] {
		c.inits[name] = true
		c.initList = append(c.initList, t.encode(name))
	}
	return name
}

func ref(s string) (string, int) {
	name, idx, ok := strings.Cut(s, ":")
	if !ok {
		return s, 0
	}
	var i int
	fmt.Sscan(idx, &i)
	return name, i
}

// value converts the node that produces ref (and everything it needs) and
// returns the value.
func (c *converter) value(r string) (value, error) {
	name, idx := ref(r)
	key := fmt.Sprintf("%s:%d", name, idx)
	if v, ok := c.vals[key]; ok {
		return v, nil
	}
	if c.done[name] {
		return value{}, fmt.Errorf("node %s has no output %d (or the graph has a cycle)", name, idx)
	}
	c.done[name] = true
	n, ok := c.nodes[name]
	if !ok {
		return value{}, fmt.Errorf("no node named %s", name)
	}
	var ins []value
	for _, in := range n.Input {
		if strings.HasPrefix(in, "^") { // control dependency: no data
			continue
		}
		v, err := c.value(in)
		if err != nil {
			return value{}, err
		}
		ins = append(ins, v)
	}
	if err := c.convert(n, ins); err != nil {
		return value{}, fmt.Errorf("node %s (%s): %w", n.Name, n.Op, err)
	}
	if c.err != nil {
		return value{}, fmt.Errorf("node %s (%s): %w", n.Name, n.Op, c.err)
	}
	v, ok := c.vals[key]
	if !ok {
		return value{}, fmt.Errorf("node %s has no output %d", name, idx)
	}
	return v, nil
}

func (c *converter) set(n *tfjsNode, v value) { c.vals[n.Name+":0"] = v }

// nhwc returns v's name in TF's own layout, transposing an NCHW value back
// and writing a constant as an initializer.
func (c *converter) nhwc(v value) string {
	if v.c != nil {
		return c.init(v.cn, v.c)
	}
	if !v.nchw {
		return v.name
	}
	out := v.name + "/nhwc"
	if !c.inits[out] {
		c.inits[out] = true // marks the transpose as emitted
		c.emit(node{op: "Transpose", name: out, inputs: []string{v.name}, outputs: []string{out}, attrs: []attr{intsAttr("perm", 0, 2, 3, 1)}})
	}
	return out
}

// nchw returns v's name in NCHW order (v must be 4-D).
func (c *converter) nchw(v value) string {
	if v.c != nil {
		t, err := constNCHW(v.c)
		if err != nil {
			c.fail("constant %s: %v", v.cn, err)
			return ""
		}
		return c.init(v.cn+"/nchw", t)
	}
	if v.nchw {
		return v.name
	}
	out := v.name + "/nchw"
	if !c.inits[out] {
		c.inits[out] = true
		c.emit(node{op: "Transpose", name: out, inputs: []string{v.name}, outputs: []string{out}, attrs: []attr{intsAttr("perm", 0, 3, 1, 2)}})
	}
	return out
}

// constNCHW makes a constant broadcast against an NCHW value as it did
// against the NHWC one: scalars stay, a per-channel vector becomes [C,1,1],
// a 4-D constant is transposed.
func constNCHW(t *tensor) (*tensor, error) {
	switch {
	case t.size() == 1 && len(t.dims) <= 1:
		return t, nil
	case len(t.dims) == 1:
		u := *t
		u.dims = []int64{t.dims[0], 1, 1}
		return &u, nil
	case len(t.dims) == 4:
		return transpose4(t, []int{0, 3, 1, 2}), nil
	}
	return nil, fmt.Errorf("cannot broadcast a constant of shape %v against an NCHW value", t.dims)
}

// transpose4 permutes a 4-D constant: output axis i is input axis perm[i].
func transpose4(t *tensor, perm []int) *tensor {
	in := t.dims
	od := []int64{in[perm[0]], in[perm[1]], in[perm[2]], in[perm[3]]}
	inStride := []int64{in[1] * in[2] * in[3], in[2] * in[3], in[3], 1}
	out := &tensor{dims: od, dtype: t.dtype}
	n := t.size()
	switch t.dtype {
	case onnxFloat:
		out.f32 = make([]float32, n)
	case onnxInt32:
		out.i32 = make([]int32, n)
	case onnxInt64:
		out.i64 = make([]int64, n)
	}
	var i int64
	for a := int64(0); a < od[0]; a++ {
		for b := int64(0); b < od[1]; b++ {
			for cc := int64(0); cc < od[2]; cc++ {
				for d := int64(0); d < od[3]; d++ {
					idx := [4]int64{a, b, cc, d}
					var src int64
					for k := 0; k < 4; k++ {
						src += idx[k] * inStride[perm[k]]
					}
					switch t.dtype {
					case onnxFloat:
						out.f32[i] = t.f32[src]
					case onnxInt32:
						out.i32[i] = t.i32[src]
					case onnxInt64:
						out.i64[i] = t.i64[src]
					}
					i++
				}
			}
		}
	}
	return out
}

func int64s(name string, vs ...int64) (string, *tensor) {
	return name, &tensor{dims: []int64{int64(len(vs))}, dtype: onnxInt64, i64: vs}
}

func (c *converter) ints(name string, vs ...int64) string {
	n, t := int64s(name, vs...)
	return c.init(n, t)
}

func (c *converter) scalar(name string, v float32) string {
	return c.init(name, &tensor{dtype: onnxFloat, f32: []float32{v}})
}

func constInts(v value) ([]int64, bool) {
	if v.c == nil {
		return nil, false
	}
	is := v.c.ints()
	return is, is != nil
}

var nhwcToNCHW = [4]int64{0, 2, 3, 1}

func tfType(s string) (int, bool) {
	switch s {
	case "DT_FLOAT":
		return onnxFloat, true
	case "DT_INT32":
		return onnxInt32, true
	case "DT_INT64":
		return onnxInt64, true
	case "DT_BOOL":
		return onnxBool, true
	}
	return 0, false
}

// convert translates one TF node whose inputs are converted.
func (c *converter) convert(n *tfjsNode, ins []value) error {
	name := n.Name
	switch n.Op {
	case "Const":
		t, ok := c.weights[name]
		if !ok {
			return fmt.Errorf("constant has no weights in the manifest")
		}
		c.set(n, value{c: t, cn: name})
	case "Placeholder":
		var dims []int64
		for _, s := range c.model.Signature.Inputs {
			if s.Name == name {
				dims, _ = s.TensorShape.dims()
			}
		}
		if len(dims) == 0 {
			return fmt.Errorf("input has no shape in the signature")
		}
		c.inputs = append(c.inputs, Tensor{Name: name, Shape: dims})
		c.set(n, value{name: name})
	case "Identity":
		c.set(n, ins[0])
	case "_FusedConv2D", "FusedDepthwiseConv2dNative", "Conv2D", "DepthwiseConv2dNative":
		return c.conv(n, ins)
	case "Add", "AddV2", "Sub", "Mul", "Equal", "RealDiv":
		op := map[string]string{"Add": "Add", "AddV2": "Add", "Sub": "Sub", "Mul": "Mul", "Equal": "Equal", "RealDiv": "Div"}[n.Op]
		names, nchw := c.elementwise(ins)
		c.emit(node{op: op, name: name, inputs: names, outputs: []string{name}})
		c.set(n, value{name: name, nchw: nchw})
	case "Relu", "Sigmoid":
		names, nchw := c.elementwise(ins)
		c.emit(node{op: n.Op, name: name, inputs: names, outputs: []string{name}})
		c.set(n, value{name: name, nchw: nchw})
	case "Relu6":
		names, nchw := c.elementwise(ins)
		c.emit(node{op: "Clip", name: name, inputs: []string{names[0], c.scalar("relu6/min", 0), c.scalar("relu6/max", 6)}, outputs: []string{name}})
		c.set(n, value{name: name, nchw: nchw})
	case "Cast":
		to, ok := tfType(n.attrType("DstT"))
		if !ok {
			return fmt.Errorf("cast to %s is not supported", n.attrType("DstT"))
		}
		names, nchw := c.elementwise(ins)
		c.emit(node{op: "Cast", name: name, inputs: names, outputs: []string{name}, attrs: []attr{intAttr("to", int64(to))}})
		c.set(n, value{name: name, nchw: nchw})
	case "FloorDiv", "FloorMod":
		if n.attrType("T") != "DT_INT32" && n.attrType("T") != "DT_INT64" {
			return fmt.Errorf("%s is supported on integers only, not %s", n.Op, n.attrType("T"))
		}
		names, nchw := c.elementwise(ins)
		// Mod with fmod=0 on integers takes the divisor's sign: TF's FloorMod.
		mod := name
		if n.Op == "FloorDiv" {
			mod = name + "/mod"
		}
		c.emit(node{op: "Mod", name: mod, inputs: names, outputs: []string{mod}, attrs: []attr{intAttr("fmod", 0)}})
		if n.Op == "FloorDiv" {
			// (a - floormod(a, b)) is a multiple of b, so truncating
			// division gives floor(a / b) exactly, whatever the signs.
			c.emit(node{op: "Sub", name: name + "/sub", inputs: []string{names[0], mod}, outputs: []string{name + "/sub"}})
			c.emit(node{op: "Div", name: name, inputs: []string{name + "/sub", names[1]}, outputs: []string{name}})
		}
		c.set(n, value{name: name, nchw: nchw})
	case "Mean":
		axes, ok := constInts(ins[1])
		if !ok {
			return fmt.Errorf("reduction axes are not constant")
		}
		keep := n.attrBool("keep_dims")
		x := ins[0]
		var in string
		if x.nchw && keep {
			in = x.name
			for i, a := range axes {
				if a < 0 {
					a += 4
				}
				axes[i] = nhwcToNCHW[a]
			}
		} else {
			in = c.nhwc(x)
		}
		keepI := int64(0)
		if keep {
			keepI = 1
		}
		c.emit(node{op: "ReduceMean", name: name, inputs: []string{in, c.ints(name+"/axes", axes...)}, outputs: []string{name}, attrs: []attr{intAttr("keepdims", keepI)}})
		c.set(n, value{name: name, nchw: x.nchw && keep})
	case "ConcatV2":
		axes, ok := constInts(ins[len(ins)-1])
		if !ok || len(axes) != 1 {
			return fmt.Errorf("concat axis is not a constant")
		}
		axis := axes[0]
		parts := ins[:len(ins)-1]
		nchw := slices.ContainsFunc(parts, func(v value) bool { return v.nchw })
		var names []string
		for _, p := range parts {
			if nchw {
				names = append(names, c.nchw(p))
			} else {
				names = append(names, c.nhwc(p))
			}
		}
		if nchw {
			if axis < 0 {
				axis += 4
			}
			axis = nhwcToNCHW[axis]
		}
		c.emit(node{op: "Concat", name: name, inputs: names, outputs: []string{name}, attrs: []attr{intAttr("axis", axis)}})
		c.set(n, value{name: name, nchw: nchw})
	case "Reshape":
		shape, ok := constInts(ins[1])
		if !ok {
			return fmt.Errorf("shape is not constant")
		}
		c.emit(node{op: "Reshape", name: name, inputs: []string{c.nhwc(ins[0]), c.ints(name+"/shape", shape...)}, outputs: []string{name}})
		c.set(n, value{name: name})
	case "ExpandDims":
		axis, ok := constInts(ins[1])
		if !ok || len(axis) != 1 {
			return fmt.Errorf("axis is not a constant")
		}
		c.emit(node{op: "Unsqueeze", name: name, inputs: []string{c.nhwc(ins[0]), c.ints(name+"/axes", axis...)}, outputs: []string{name}})
		c.set(n, value{name: name})
	case "StridedSlice":
		return c.stridedSlice(n, ins)
	case "ResizeBilinear":
		size, ok := constInts(ins[1])
		if !ok || len(size) != 2 {
			return fmt.Errorf("size is not a constant pair")
		}
		mode := "asymmetric"
		switch {
		case n.attrBool("align_corners"):
			mode = "align_corners"
		case n.attrBool("half_pixel_centers"):
			mode = "half_pixel"
		}
		c.emit(node{op: "Resize", name: name, inputs: []string{c.nchw(ins[0]), "", "", c.ints(name+"/sizes", size...)}, outputs: []string{name}, attrs: []attr{
			stringAttr("mode", "linear"), stringAttr("coordinate_transformation_mode", mode), intsAttr("axes", 2, 3)}})
		c.set(n, value{name: name, nchw: true})
	case "MaxPool":
		if f := n.attrString("data_format"); f != "" && f != "NHWC" {
			return fmt.Errorf("data format %s is not supported", f)
		}
		k, s := n.attrInts("ksize"), n.attrInts("strides")
		if len(k) != 4 || len(s) != 4 || k[0] != 1 || k[3] != 1 || s[0] != 1 || s[3] != 1 {
			return fmt.Errorf("pooling over batch or channels is not supported")
		}
		pad, err := autoPad(n.attrString("padding"))
		if err != nil {
			return err
		}
		c.emit(node{op: "MaxPool", name: name, inputs: []string{c.nchw(ins[0])}, outputs: []string{name}, attrs: []attr{
			intsAttr("kernel_shape", k[1], k[2]), intsAttr("strides", s[1], s[2]), stringAttr("auto_pad", pad)}})
		c.set(n, value{name: name, nchw: true})
	case "TopKV2":
		k, ok := constInts(ins[1])
		if !ok {
			return fmt.Errorf("k is not constant")
		}
		if len(k) == 0 {
			k = []int64{ins[1].c.ints()[0]}
		}
		idx64 := name + ":1/int64"
		c.emit(node{op: "TopK", name: name, inputs: []string{c.nhwc(ins[0]), c.ints(name+"/k", k[0])}, outputs: []string{name, idx64}, attrs: []attr{
			intAttr("axis", -1), intAttr("largest", 1), intAttr("sorted", 1)}})
		c.emit(node{op: "Cast", name: name + ":1", inputs: []string{idx64}, outputs: []string{name + ":1"}, attrs: []attr{intAttr("to", onnxInt32)}})
		c.vals[name+":0"] = value{name: name}
		c.vals[name+":1"] = value{name: name + ":1"}
	case "GatherV2":
		axis, ok := constInts(ins[2])
		if !ok || len(axis) != 1 {
			return fmt.Errorf("axis is not a constant")
		}
		if n.attrInt("batch_dims", 0) != 0 {
			return fmt.Errorf("batch_dims is not supported")
		}
		c.emit(node{op: "Gather", name: name, inputs: []string{c.nhwc(ins[0]), c.nhwc(ins[1])}, outputs: []string{name}, attrs: []attr{intAttr("axis", axis[0])}})
		c.set(n, value{name: name})
	default:
		return fmt.Errorf("op %s is not supported", n.Op)
	}
	return nil
}

// elementwise lines up the inputs of an element-wise op: NCHW when any of
// them is, with constants reshaped to broadcast the same way.
func (c *converter) elementwise(ins []value) ([]string, bool) {
	nchw := slices.ContainsFunc(ins, func(v value) bool { return v.nchw })
	names := make([]string, len(ins))
	for i, v := range ins {
		if nchw {
			names[i] = c.nchw(v)
		} else {
			names[i] = c.nhwc(v)
		}
	}
	return names, nchw
}

func autoPad(p string) (string, error) {
	switch p {
	case "SAME":
		return "SAME_UPPER", nil // TF puts the odd pixel of padding at the end, as SAME_UPPER does
	case "VALID":
		return "VALID", nil
	}
	return "", fmt.Errorf("padding %q is not supported", p)
}

func (c *converter) conv(n *tfjsNode, ins []value) error {
	if f := n.attrString("data_format"); f != "" && f != "NHWC" {
		return fmt.Errorf("data format %s is not supported", f)
	}
	if len(ins) < 2 || ins[1].c == nil || len(ins[1].c.dims) != 4 {
		return fmt.Errorf("the filter is not a 4-D constant")
	}
	s, d := n.attrInts("strides"), n.attrInts("dilations")
	if len(s) != 4 || s[0] != 1 || s[3] != 1 {
		return fmt.Errorf("strides %v are not supported", s)
	}
	if len(d) == 0 {
		d = []int64{1, 1, 1, 1}
	}
	pad, err := autoPad(n.attrString("padding"))
	if err != nil {
		return err
	}
	f := ins[1].c
	kh, kw, cin, cout := f.dims[0], f.dims[1], f.dims[2], f.dims[3]
	depthwise := strings.Contains(n.Op, "Depthwise")
	w := transpose4(f, []int{3, 2, 0, 1}) // HWIO → OIHW
	group := int64(1)
	if depthwise {
		// TF's [kh, kw, in, multiplier] → ONNX [in·multiplier, 1, kh, kw]:
		// output channel i·multiplier+m reads input channel i.
		w = transpose4(f, []int{2, 3, 0, 1})
		w.dims = []int64{cin * cout, 1, kh, kw}
		group = cin
	}
	name := n.Name
	inputs := []string{c.nchw(ins[0]), c.init(ins[1].cn+"/oihw", w)}
	var post []string
	if strings.HasPrefix(n.Op, "_Fused") || strings.HasPrefix(n.Op, "Fused") {
		ops := n.attrStrings("fused_ops")
		args := ins[2:]
		if len(ops) == 0 || ops[0] != "BiasAdd" || len(args) != 1 || args[0].c == nil {
			return fmt.Errorf("fused ops %v with %d arguments are not supported", ops, len(args))
		}
		inputs = append(inputs, c.init(args[0].cn, args[0].c))
		post = ops[1:]
	}
	attrs := []attr{
		intsAttr("kernel_shape", kh, kw), intsAttr("strides", s[1], s[2]),
		intsAttr("dilations", d[1], d[2]), intAttr("group", group),
		stringAttr("auto_pad", pad),
	}
	out := name
	if len(post) > 0 {
		out = name + "/conv"
	}
	c.emit(node{op: "Conv", name: out, inputs: inputs, outputs: []string{out}, attrs: attrs})
	switch {
	case len(post) == 0:
	case len(post) == 1 && post[0] == "Relu":
		c.emit(node{op: "Relu", name: name, inputs: []string{out}, outputs: []string{name}})
	case len(post) == 1 && post[0] == "Relu6":
		c.emit(node{op: "Clip", name: name, inputs: []string{out, c.scalar("relu6/min", 0), c.scalar("relu6/max", 6)}, outputs: []string{name}})
	case len(post) == 1 && post[0] == "LeakyRelu":
		alpha := float32(0.2)
		if v, ok := n.attr("leakyrelu_alpha"); ok && v.F != nil {
			alpha = float32(*v.F)
		}
		c.emit(node{op: "LeakyRelu", name: name, inputs: []string{out}, outputs: []string{name}, attrs: []attr{floatAttr("alpha", alpha)}})
	default:
		return fmt.Errorf("fused activation %v is not supported", post)
	}
	c.set(n, value{name: name, nchw: true})
	return nil
}

func (c *converter) stridedSlice(n *tfjsNode, ins []value) error {
	begin, ok1 := constInts(ins[1])
	end, ok2 := constInts(ins[2])
	strides, ok3 := constInts(ins[3])
	if !ok1 || !ok2 || !ok3 || len(begin) != len(end) || len(begin) != len(strides) {
		return fmt.Errorf("begin, end and strides are not constants of one length")
	}
	if n.attrInt("ellipsis_mask", 0) != 0 || n.attrInt("new_axis_mask", 0) != 0 {
		return fmt.Errorf("ellipsis and new-axis masks are not supported")
	}
	bm, em, sm := n.attrInt("begin_mask", 0), n.attrInt("end_mask", 0), n.attrInt("shrink_axis_mask", 0)
	starts, ends, axes := make([]int64, len(begin)), make([]int64, len(begin)), make([]int64, len(begin))
	var squeeze []int64
	for i := range begin {
		axes[i] = int64(i)
		starts[i], ends[i] = begin[i], end[i]
		if strides[i] == 0 {
			return fmt.Errorf("stride 0")
		}
		if bm&(1<<i) != 0 {
			starts[i] = 0
			if strides[i] < 0 {
				starts[i] = math.MaxInt64
			}
		}
		if em&(1<<i) != 0 {
			ends[i] = math.MaxInt64
			if strides[i] < 0 {
				ends[i] = math.MinInt64
			}
		}
		if sm&(1<<i) != 0 {
			ends[i] = starts[i] + 1
			if starts[i] == -1 {
				ends[i] = math.MaxInt64
			}
			strides[i] = 1
			squeeze = append(squeeze, int64(i))
		}
	}
	name := n.Name
	out := name
	if len(squeeze) > 0 {
		out = name + "/slice"
	}
	c.emit(node{op: "Slice", name: out, inputs: []string{c.nhwc(ins[0]),
		c.ints(name+"/starts", starts...), c.ints(name+"/ends", ends...), c.ints(name+"/axes", axes...), c.ints(name+"/steps", strides...)}, outputs: []string{out}})
	if len(squeeze) > 0 {
		c.emit(node{op: "Squeeze", name: name, inputs: []string{out, c.ints(name+"/squeeze", squeeze...)}, outputs: []string{name}})
	}
	c.set(n, value{name: name})
	return nil
}
