package labeling

import (
	"reflect"
	"testing"
)

// Expectations below are computed by hand from the rules in
// ConsolidateBoxes' comment.
func TestConsolidateBoxes(t *testing.T) {
	car := func(x, y, w, h int) Box { return Box{X: x, Y: y, W: w, H: h, Label: "car"} }
	lab := func(b Box, l string) Box { b.Label = l; return b }
	cases := []struct {
		name      string
		in        []WorkerBoxes
		quorum    int
		want      []Cluster
		agreement map[int64]float64
	}{{
		// W1 and W2 agree (IoU 100·100∩… ≈ 0.93); W3's box overlaps nothing.
		// Mean corners (11, 9, 111, 111): both members are 4 away, so the
		// earlier worker's box wins. W3: 2·0/(1+1) = 0.
		name:      "two agree, one strays",
		in:        []WorkerBoxes{{1, []Box{car(10, 10, 100, 100)}}, {2, []Box{car(12, 8, 100, 104)}}, {3, []Box{car(300, 300, 50, 50)}}},
		quorum:    2,
		want:      []Cluster{{Box: car(10, 10, 100, 100), Votes: 2, Members: []int64{1, 2}}},
		agreement: map[int64]float64{1: 1, 2: 1, 3: 0},
	}, {
		// Three labels, one vote each. Mean x1 = (0+4+2)/3 = 2: W3's box is
		// at the mean, so its label and box win; each worker has 1 box in
		// the kept cluster but only W3's label matches: 2·1/2 = 1, others 0.
		name: "label tie goes to the member closest to the mean",
		in: []WorkerBoxes{{1, []Box{lab(car(0, 0, 100, 100), "car")}}, {2, []Box{lab(car(4, 0, 100, 100), "truck")}},
			{3, []Box{lab(car(2, 0, 100, 100), "bus")}}},
		quorum:    2,
		want:      []Cluster{{Box: lab(car(2, 0, 100, 100), "bus"), Votes: 1, Members: []int64{1, 2, 3}}},
		agreement: map[int64]float64{1: 0, 2: 0, 3: 1},
	}, {
		// A worker who labels nothing: the other two agree; W3 has 0 own
		// boxes and 1 kept cluster: 2·0/(0+1) = 0.
		name:      "a worker who labels nothing",
		in:        []WorkerBoxes{{1, []Box{car(0, 0, 50, 50)}}, {2, []Box{car(0, 0, 50, 50)}}, {3, nil}},
		quorum:    2,
		want:      []Cluster{{Box: car(0, 0, 50, 50), Votes: 2, Members: []int64{1, 2}}},
		agreement: map[int64]float64{1: 1, 2: 1, 3: 0},
	}, {
		name:      "nobody labels anything",
		in:        []WorkerBoxes{{1, nil}, {2, nil}},
		quorum:    2,
		want:      nil,
		agreement: map[int64]float64{1: 1, 2: 1},
	}, {
		// W1 drew two boxes over W2's one: IoU(W1a, W2) = 1, IoU(W1b, W2) =
		// 80·100/(100·100) = 0.8. The best pair joins; W1b cannot (one box
		// per worker) and, alone, misses the quorum. W1: 2·1/(2+1) = 2/3.
		name:      "one box per worker in a cluster",
		in:        []WorkerBoxes{{1, []Box{car(0, 0, 100, 100), car(20, 0, 80, 100)}}, {2, []Box{car(0, 0, 100, 100)}}},
		quorum:    2,
		want:      []Cluster{{Box: car(0, 0, 100, 100), Votes: 2, Members: []int64{1, 2}}},
		agreement: map[int64]float64{1: 2.0 / 3, 2: 1},
	}, {
		// With one worker per item every box is kept as drawn.
		name:      "single worker",
		in:        []WorkerBoxes{{7, []Box{car(1, 2, 3, 4), lab(car(50, 50, 10, 10), "bus")}}},
		quorum:    1,
		want:      []Cluster{{Box: car(1, 2, 3, 4), Votes: 1, Members: []int64{7}}, {Box: lab(car(50, 50, 10, 10), "bus"), Votes: 1, Members: []int64{7}}},
		agreement: map[int64]float64{7: 1},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, agr := ConsolidateBoxes(c.in, 0.5, c.quorum)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("clusters\n got %+v\nwant %+v", got, c.want)
			}
			for w, a := range c.agreement {
				if d := agr[w] - a; d > 1e-9 || d < -1e-9 {
					t.Errorf("agreement of %d: %.3f, want %.3f", w, agr[w], a)
				}
			}
		})
	}
}

func TestConsolidateVerdicts(t *testing.T) {
	for _, c := range []struct {
		in   []Verdict
		want bool
		agr  map[int64]float64
	}{
		{[]Verdict{{1, true}, {2, true}, {3, false}}, true, map[int64]float64{1: 1, 2: 1, 3: 0}},
		{[]Verdict{{1, true}, {2, false}}, false, map[int64]float64{1: 0, 2: 1}}, // a tie is not an acceptance
		{[]Verdict{{1, false}}, false, map[int64]float64{1: 1}},
	} {
		got, agr := ConsolidateVerdicts(c.in)
		if got != c.want || !reflect.DeepEqual(agr, c.agr) {
			t.Errorf("%+v: %v %v, want %v %v", c.in, got, agr, c.want, c.agr)
		}
	}
	if Quorum(3) != 2 || Quorum(2) != 2 || Quorum(1) != 1 || Quorum(4) != 3 {
		t.Error("quorum is not a strict majority")
	}
}

func TestLabelsWithAttributes(t *testing.T) {
	ls, err := ParseLabels("car:occluded=yes|no;colour=red|blue, person")
	if err != nil || len(ls) != 2 || len(ls[0].Attributes) != 2 || ls[1].Name != "person" {
		t.Fatalf("%v %+v", err, ls)
	}
	if !ls[0].allows("occluded", "no") || ls[0].allows("occluded", "maybe") || ls[0].allows("size", "big") || ls[1].allows("occluded", "yes") {
		t.Error("attribute values not checked")
	}
	if _, err := ParseLabels("car:occluded"); err == nil {
		t.Error("an attribute without values was accepted")
	}
}
