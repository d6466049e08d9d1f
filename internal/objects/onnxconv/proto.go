package onnxconv

import (
	"encoding/binary"
	"math"
)

// A minimal protobuf writer for the few ONNX messages the converter emits
// (field numbers from onnx/onnx.proto). Writing them by hand keeps the
// converter free of generated code and of a protobuf dependency.
type pb []byte

const (
	wireVarint  = 0
	wireFixed32 = 5
	wireBytes   = 2
)

func (b *pb) tag(field, wire int) { *b = binary.AppendUvarint(*b, uint64(field)<<3|uint64(wire)) }

func (b *pb) varint(field int, v int64) {
	b.tag(field, wireVarint)
	*b = binary.AppendUvarint(*b, uint64(v))
}

func (b *pb) float(field int, v float32) {
	b.tag(field, wireFixed32)
	*b = binary.LittleEndian.AppendUint32(*b, math.Float32bits(v))
}

func (b *pb) bytes(field int, v []byte) {
	b.tag(field, wireBytes)
	*b = binary.AppendUvarint(*b, uint64(len(v)))
	*b = append(*b, v...)
}

func (b *pb) str(field int, s string) { b.bytes(field, []byte(s)) }

func (b *pb) msg(field int, m pb) { b.bytes(field, m) }

func (b *pb) packedInts(field int, vs []int64) {
	var p []byte
	for _, v := range vs {
		p = binary.AppendUvarint(p, uint64(v))
	}
	b.bytes(field, p)
}

// ONNX TensorProto.DataType values.
const (
	onnxFloat = 1
	onnxInt32 = 6
	onnxInt64 = 7
	onnxBool  = 9
)

// ONNX AttributeProto.AttributeType values.
const (
	attrFloat  = 1
	attrInt    = 2
	attrString = 3
	attrInts   = 7
)

// attr is one node attribute.
type attr struct {
	name string
	kind int
	i    int64
	f    float32
	s    string
	ints []int64
}

func intAttr(name string, v int64) attr      { return attr{name: name, kind: attrInt, i: v} }
func floatAttr(name string, v float32) attr  { return attr{name: name, kind: attrFloat, f: v} }
func stringAttr(name, v string) attr         { return attr{name: name, kind: attrString, s: v} }
func intsAttr(name string, vs ...int64) attr { return attr{name: name, kind: attrInts, ints: vs} }

func (a attr) encode() pb {
	var b pb
	b.str(1, a.name)
	switch a.kind {
	case attrFloat:
		b.float(2, a.f)
	case attrInt:
		b.varint(3, a.i)
	case attrString:
		b.str(4, a.s)
	case attrInts:
		for _, v := range a.ints { // repeated int64 ints = 8 (proto2: not packed)
			b.varint(8, v)
		}
	}
	b.varint(20, int64(a.kind))
	return b
}

// node is an ONNX NodeProto.
type node struct {
	op      string
	name    string
	inputs  []string
	outputs []string
	attrs   []attr
}

func (n node) encode() pb {
	var b pb
	for _, in := range n.inputs {
		b.str(1, in)
	}
	for _, out := range n.outputs {
		b.str(2, out)
	}
	b.str(3, n.name)
	b.str(4, n.op)
	for _, a := range n.attrs {
		b.msg(5, a.encode())
	}
	return b
}

// tensor is a constant: float32, int32 or int64 data with a shape.
type tensor struct {
	dims  []int64
	dtype int
	f32   []float32
	i32   []int32
	i64   []int64
}

func (t *tensor) size() int64 {
	n := int64(1)
	for _, d := range t.dims {
		n *= d
	}
	return n
}

// ints returns the values of an integer tensor.
func (t *tensor) ints() []int64 {
	switch t.dtype {
	case onnxInt32:
		out := make([]int64, len(t.i32))
		for i, v := range t.i32 {
			out[i] = int64(v)
		}
		return out
	case onnxInt64:
		return t.i64
	}
	return nil
}

func (t *tensor) encode(name string) pb {
	var b pb
	b.packedInts(1, t.dims)
	b.varint(2, int64(t.dtype))
	b.str(8, name)
	var raw []byte
	switch t.dtype {
	case onnxFloat:
		raw = make([]byte, 0, 4*len(t.f32))
		for _, v := range t.f32 {
			raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
		}
	case onnxInt32:
		raw = make([]byte, 0, 4*len(t.i32))
		for _, v := range t.i32 {
			raw = binary.LittleEndian.AppendUint32(raw, uint32(v))
		}
	case onnxInt64:
		raw = make([]byte, 0, 8*len(t.i64))
		for _, v := range t.i64 {
			raw = binary.LittleEndian.AppendUint64(raw, uint64(v))
		}
	}
	b.bytes(9, raw)
	return b
}

// valueInfo encodes a ValueInfoProto for a tensor of elemType and dims
// (a dim < 0 is left unnamed and unknown).
func valueInfo(name string, elemType int, dims []int64) pb {
	var shape pb
	for _, d := range dims {
		var dim pb
		if d >= 0 {
			dim.varint(1, d)
		}
		shape.msg(1, dim)
	}
	var tt pb
	tt.varint(1, int64(elemType))
	tt.msg(2, shape)
	var typ pb
	typ.msg(1, tt)
	var b pb
	b.str(1, name)
	b.msg(2, typ)
	return b
}
