package objects

import (
	"testing"
	"time"
)

func TestSmoke(t *testing.T) {
	m, err := Open("../../models")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	in := make([]float32, Size*Size*3)
	for i := range in {
		in[i] = float32(i % 255)
	}
	for range 3 {
		start := time.Now()
		out, err := m.Raw(in)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(time.Since(start), out[:12])
	}
}
