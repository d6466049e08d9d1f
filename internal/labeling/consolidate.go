// Package labeling is the private workforce's work: labeling jobs over a
// video's frames or an analysis's results, tasks leased to workers,
// consolidation of several workers' answers, and the way back into the
// analysis (reviewed boxes, COCO and YOLO exports, exemplars).
package labeling

import (
	"sort"

	"github.com/scry-dev/scry/internal/detect"
)

// Box is one labelled box in pixels of the original frame.
type Box struct {
	X          int               `json:"x"`
	Y          int               `json:"y"`
	W          int               `json:"w"`
	H          int               `json:"h"`
	Label      string            `json:"label"`
	Attributes map[string]string `json:"attributes,omitempty"`
	// Confidence is the machine's, on boxes the analysis proposed.
	Confidence *float64 `json:"confidence,omitempty"`
}

func (b Box) rect() detect.Box { return detect.Box{X: b.X, Y: b.Y, W: b.W, H: b.H} }

// WorkerBoxes is one worker's answer for one frame.
type WorkerBoxes struct {
	Worker int64
	Boxes  []Box
}

// Cluster is a consolidated box: the member closest to the cluster's mean,
// the winning label, and who agreed.
type Cluster struct {
	Box     Box     `json:"box"`
	Votes   int     `json:"votes"`   // members carrying the winning label
	Members []int64 `json:"members"` // workers with a box in the cluster
}

// Quorum is the default: a strict majority of the workers who answered.
func Quorum(workers int) int { return workers/2 + 1 }

// ConsolidateBoxes merges several workers' boxes for one frame. Boxes of
// different workers are matched pairwise at IoU ≥ iou, best pairs first,
// into clusters holding at most one box per worker; a cluster with at
// least quorum members is kept. Its label is the most voted; a tie goes to
// the label of the member closest to the cluster mean, which is also the
// consolidated box (distance: squared differences of the corners; a tie
// there goes to the earlier worker in the input). Agreement per worker is
// 2m / (own boxes + kept clusters), m being the worker's boxes in kept
// clusters with the winning label: 1 for a worker who matches the result
// exactly, 0 for one who labels nothing where others agree on something,
// and 1 for everyone when nobody labels anything.
func ConsolidateBoxes(in []WorkerBoxes, iou float64, quorum int) ([]Cluster, map[int64]float64) {
	type node struct {
		worker int // index into in
		box    Box
	}
	var nodes []node
	for wi, wb := range in {
		for _, b := range wb.Boxes {
			nodes = append(nodes, node{wi, b})
		}
	}
	type pair struct {
		a, b int
		iou  float64
	}
	var pairs []pair
	for i := range nodes {
		for j := i + 1; j < len(nodes); j++ {
			if nodes[i].worker == nodes[j].worker {
				continue
			}
			if v := detect.IoU(nodes[i].box.rect(), nodes[j].box.rect()); v >= iou {
				pairs = append(pairs, pair{i, j, v})
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].iou > pairs[j].iou })
	parent := make([]int, len(nodes))
	workers := make([]map[int]bool, len(nodes))
	for i := range nodes {
		parent[i], workers[i] = i, map[int]bool{nodes[i].worker: true}
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	for _, p := range pairs {
		ra, rb := find(p.a), find(p.b)
		if ra == rb {
			continue
		}
		disjoint := true
		for w := range workers[rb] {
			disjoint = disjoint && !workers[ra][w]
		}
		if !disjoint {
			continue // one box per worker in a cluster
		}
		lo, hi := min(ra, rb), max(ra, rb)
		parent[hi] = lo
		for w := range workers[hi] {
			workers[lo][w] = true
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range nodes {
		r := find(i)
		if groups[r] == nil {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	var out []Cluster
	matched := make([]int, len(in))
	for _, r := range roots {
		members := groups[r]
		if len(members) < quorum {
			continue
		}
		var mx1, my1, mx2, my2 float64
		for _, m := range members {
			b := nodes[m].box
			mx1, my1, mx2, my2 = mx1+float64(b.X), my1+float64(b.Y), mx2+float64(b.X+b.W), my2+float64(b.Y+b.H)
		}
		n := float64(len(members))
		mx1, my1, mx2, my2 = mx1/n, my1/n, mx2/n, my2/n
		closest, best := -1, 0.0
		for _, m := range members {
			b := nodes[m].box
			d := sq(float64(b.X)-mx1) + sq(float64(b.Y)-my1) + sq(float64(b.X+b.W)-mx2) + sq(float64(b.Y+b.H)-my2)
			if closest < 0 || d < best || d == best && nodes[m].worker < nodes[closest].worker {
				closest, best = m, d
			}
		}
		votes := map[string]int{}
		top := 0
		for _, m := range members {
			votes[nodes[m].box.Label]++
			top = max(top, votes[nodes[m].box.Label])
		}
		label := nodes[closest].box.Label
		if votes[label] < top {
			var tied []string
			for l, v := range votes {
				if v == top {
					tied = append(tied, l)
				}
			}
			sort.Strings(tied)
			label = tied[0] // the closest member's label lost outright; alphabetical among the winners
		}
		c := Cluster{Box: nodes[closest].box, Votes: top}
		c.Box.Label = label
		for _, m := range members {
			c.Members = append(c.Members, in[nodes[m].worker].Worker)
			if nodes[m].box.Label == label {
				matched[nodes[m].worker]++
			}
		}
		sort.Slice(c.Members, func(i, j int) bool { return c.Members[i] < c.Members[j] })
		out = append(out, c)
	}
	agreement := map[int64]float64{}
	for wi, wb := range in {
		den := len(wb.Boxes) + len(out)
		if den == 0 {
			agreement[wb.Worker] = 1
			continue
		}
		agreement[wb.Worker] = 2 * float64(matched[wi]) / float64(den)
	}
	return out, agreement
}

func sq(v float64) float64 { return v * v }

// Verdict is one worker's answer in a verification job.
type Verdict struct {
	Worker int64
	Accept bool
}

// ConsolidateVerdicts is a vote: accepted only by a strict majority (a tie
// is not an acceptance: the machine result stays unconfirmed). A worker
// agrees when their verdict is the outcome.
func ConsolidateVerdicts(in []Verdict) (accepted bool, agreement map[int64]float64) {
	yes := 0
	for _, v := range in {
		if v.Accept {
			yes++
		}
	}
	accepted = yes*2 > len(in)
	agreement = map[int64]float64{}
	for _, v := range in {
		agreement[v.Worker] = 0
		if v.Accept == accepted {
			agreement[v.Worker] = 1
		}
	}
	return accepted, agreement
}
