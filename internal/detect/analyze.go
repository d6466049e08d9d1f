package detect

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
)

// Options tune an analysis.
type Options struct {
	FPS           float64 // frames analysed per second (default 2)
	MinConfidence float64 // detections below are dropped (default 0.5)
	Width         int     // analysis width in pixels: shots, colours, motion, saliency (default 320)
	// DetailWidth is the width faces, codes, objects, model servers and OCR
	// read their frames at (default 1280, never above the source's).
	DetailWidth int
	Limits      media.Limits
	OCR         *OCR // on-screen text; nil = none
	// TextEvery is the least time in seconds between two OCR reads while
	// the picture keeps changing (default 1 when the prompt asks for text,
	// else 10). Every shot is read at least once whatever this says, and a
	// still picture only once.
	TextEvery float64
	// Progress, when set, hears of every analysed frame: the index reached
	// and the file's frame count.
	Progress func(frame, frames int)
}

// Ratio is a box as 0–1 shares of the frame.
type Ratio struct {
	Left   float64 `json:"left"`
	Top    float64 `json:"top"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Detection is one box in one frame.
type Detection struct {
	Label       string  `json:"label"`
	Phrase      string  `json:"phrase"`
	Confidence  float64 `json:"confidence"`
	Box         Box     `json:"box"`
	BoundingBox Ratio   `json:"bounding_box"`
	TrackID     int     `json:"track_id"`
	Text        string  `json:"text,omitempty"` // a QR code's or barcode's content
	// Set when people reviewed the box (scry label): Confidence becomes
	// the share of reviewers who agreed, the machine's is kept here, and
	// Review says what they did (accepted, adjusted, added, rejected).
	ReviewedByHuman   bool     `json:"reviewed_by_human,omitempty"`
	MachineConfidence *float64 `json:"machine_confidence,omitempty"`
	Review            string   `json:"review,omitempty"`
}

// FrameResult is what one analysed frame holds.
type FrameResult struct {
	FrameIndex      int         `json:"frame_index"`
	TimestampMillis int64       `json:"timestamp_millis"`
	Detections      []Detection `json:"detections"`
	Text            []TextBox   `json:"text"`
}

// TextBox is on-screen text (from OCR).
type TextBox struct {
	Text        string  `json:"text"`
	Confidence  float64 `json:"confidence"`
	Box         Box     `json:"box"`
	BoundingBox Ratio   `json:"bounding_box"`
}

// Presence answers "does it appear": every phrase the backends support gets
// one, so a mention with nothing behind it shows as present: false — but
// only over what was looked at: Examined is "all" when every shot was
// examined by a backend able to find every label of the phrase, otherwise
// "partial", and Reason says what was not examined.
type Presence struct {
	Phrase        string  `json:"phrase"`
	Present       bool    `json:"present"`
	MaxConfidence float64 `json:"max_confidence"`
	Frames        []int   `json:"frames"`
	Examined      string  `json:"examined"`
	Reason        string  `json:"reason,omitempty"`
	// BelowThreshold is the best confidence of the phrase's candidates that
	// the confidence filter dropped: "not found" over a candidate at 0.45
	// is a weaker "no" than over nothing at all.
	BelowThreshold float64 `json:"below_threshold,omitempty"`
}

// Unsupported is a phrase no backend can ground — never reported absent.
type Unsupported struct {
	Phrase  string `json:"phrase"`
	Backend string `json:"backend"`
	Reason  string `json:"reason"`
}

// Result is the analysis document (`scry detect --json`).
type Result struct {
	Prompt      Prompt          `json:"prompt"`
	Metadata    media.Info      `json:"metadata"`
	Shots       []media.Segment `json:"shots"`
	Chapters    []media.Segment `json:"chapters"`
	Frames      []FrameResult   `json:"frames"`
	Presence    []Presence      `json:"presence"`
	Unsupported []Unsupported   `json:"unsupported"`
	Texts       []TextSpan      `json:"texts"`
	// Blueprint is the custom document of --blueprint, next to the standard one.
	Blueprint *BlueprintResult `json:"blueprint,omitempty"`
}

// TextSpan is a line of on-screen text, deduplicated across frames.
type TextSpan struct {
	Text       string  `json:"text"`
	FirstFrame int     `json:"first_frame"`
	LastFrame  int     `json:"last_frame"`
	Confidence float64 `json:"confidence"`
}

// ReadChecked reads a prompt and refuses one that names nothing to find.
func ReadChecked(prompt string) (Prompt, error) {
	pr := Read(prompt)
	if len(pr.Phrases) == 0 && pr.Intent != IntentSalient {
		return pr, errcode.New(errcode.Invalid, "The prompt names nothing to look for; try \"Detect the red box\" or \"Detect if apples appear\"")
	}
	return pr, nil
}

// Analyze runs the whole analysis of one file for one prompt.
func Analyze(ctx context.Context, path, prompt string, opt Options, detectors []Detector) (*Result, error) {
	opt = opt.withDefaults()
	info, err := media.Probe(ctx, path, opt.Limits)
	if err != nil {
		return nil, err
	}
	pr, err := ReadChecked(prompt)
	if err != nil {
		return nil, err
	}
	res := &Result{Prompt: pr, Metadata: info, Frames: []FrameResult{}, Presence: []Presence{}, Unsupported: []Unsupported{}, Texts: []TextSpan{}}
	pl := planFor(pr, detectors, opt.OCR != nil && opt.OCR.Available())
	res.Unsupported = append(res.Unsupported, pl.unsupported...)
	a := newAnalysis(ctx, path, info, opt, pr, pl, detectors)
	if err := a.decode(); err != nil {
		return nil, err
	}
	if info.Image {
		res.Shots = []media.Segment{{Index: 0, StartTimecode: "00:00:00:00", EndTimecode: "00:00:00:00"}}
	} else {
		res.Shots = a.shots.Shots(info.FrameRate)
	}
	// Every shot is examined at least once, however short: a shot between
	// two sampled frames, or never read by OCR, gets its middle frame.
	if err := a.backstop(res.Shots); err != nil {
		return nil, err
	}
	a.ocr.wait()
	res.Frames = a.results()
	sort.Slice(a.ocr.results, func(i, j int) bool { return a.ocr.results[i].index < a.ocr.results[j].index })
	addText(res, pr, a.ocr.results, info)
	res.Chapters = media.Chapters(res.Shots, math.Max(info.FrameRate, 1), 30, 5*60*1000)
	for i, ph := range pr.Phrases {
		if pl.supported[i] {
			res.Presence = append(res.Presence, a.examined(i, ph, res.Shots))
		}
	}
	res.UpdatePresence()
	return res, nil
}

func (opt Options) withDefaults() Options {
	if opt.FPS <= 0 {
		opt.FPS = 2
	}
	if opt.MinConfidence == 0 {
		opt.MinConfidence = 0.5
	}
	if opt.Width <= 0 {
		opt.Width = 320
	}
	if opt.DetailWidth <= 0 {
		opt.DetailWidth = 1280
	}
	if opt.Limits.MaxBytes == 0 {
		opt.Limits = media.DefaultLimits
	}
	return opt
}

// UpdatePresence recomputes every presence entry from the frames: a phrase
// is present where a detection of it has a confidence above zero (people
// who rejected a box set it to zero). What was examined does not change.
func (res *Result) UpdatePresence() {
	for k := range res.Presence {
		p := res.Presence[k]
		p.Present, p.MaxConfidence, p.Frames = false, 0, []int{}
		for _, fr := range res.Frames {
			for _, d := range fr.Detections {
				if d.Phrase == p.Phrase && d.Confidence > 0 {
					p.Present = true
					p.MaxConfidence = math.Max(p.MaxConfidence, d.Confidence)
					if n := len(p.Frames); n == 0 || p.Frames[n-1] != fr.FrameIndex {
						p.Frames = append(p.Frames, fr.FrameIndex)
					}
				}
			}
		}
		res.Presence[k] = p
	}
}

// RatioOf is b as shares of a w×h frame.
func RatioOf(b Box, w, h int) Ratio {
	r := func(v, d int) float64 { return math.Round(float64(v)/float64(d)*10000) / 10000 }
	return Ratio{Left: r(b.X, w), Top: r(b.Y, h), Width: r(b.W, w), Height: r(b.H, h)}
}

// IoU of two boxes.
func IoU(a, b Box) float64 {
	x1, y1 := max(a.X, b.X), max(a.Y, b.Y)
	x2, y2 := min(a.X+a.W, b.X+b.W), min(a.Y+a.H, b.Y+b.H)
	if x2 <= x1 || y2 <= y1 {
		return 0
	}
	inter := float64((x2 - x1) * (y2 - y1))
	return inter / (float64(a.W*a.H+b.W*b.H) - inter)
}

// nms keeps, per label, the most confident of boxes overlapping above iou.
func nms(cs []Candidate, iou float64) []Candidate {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Confidence > cs[j].Confidence })
	var out []Candidate
	for _, c := range cs {
		keep := true
		for _, k := range out {
			if k.Label == c.Label && k.Phrase == c.Phrase && IoU(k.Box, c.Box) > iou {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, c)
		}
	}
	return out
}

// tracker links detections across frames: each track predicts its box
// from its velocity, and detections are matched to tracks globally, best
// first, by overlap with the prediction or, for a fast walker whose boxes
// no longer overlap at 2 frames a second, by centre distance within the
// box's size. A track survives maxMissed frames unseen (a short occlusion)
// before a new one starts.
type tracker struct {
	tracks    []track
	next      int
	maxMissed int
}

type track struct {
	id     int
	label  string
	box    Box
	vx, vy float64
	missed int
}

func (t *tracker) assign(ds []Detection) {
	type pair struct {
		d, k int
		cost float64
	}
	var pairs []pair
	for i, d := range ds {
		for k, tr := range t.tracks {
			if tr.label != d.Label {
				continue
			}
			n := float64(tr.missed + 1)
			pred := Box{X: tr.box.X + int(tr.vx*n), Y: tr.box.Y + int(tr.vy*n), W: tr.box.W, H: tr.box.H}
			if v := IoU(pred, d.Box); v > 0.2 {
				pairs = append(pairs, pair{i, k, 1 - v})
				continue
			}
			ratio := float64(d.Box.W*d.Box.H) / math.Max(1, float64(pred.W*pred.H))
			dx := float64(d.Box.X+d.Box.W/2) - float64(pred.X+pred.W/2)
			dy := float64(d.Box.Y+d.Box.H/2) - float64(pred.Y+pred.H/2)
			if dist := math.Hypot(dx, dy) / math.Max(1, float64(max(pred.W, pred.H))); dist < 1 && ratio > 0.5 && ratio < 2 {
				pairs = append(pairs, pair{i, k, 1 + dist})
			}
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].cost < pairs[b].cost })
	usedD, usedT := make([]bool, len(ds)), make([]bool, len(t.tracks))
	for _, p := range pairs {
		if usedD[p.d] || usedT[p.k] {
			continue
		}
		usedD[p.d], usedT[p.k] = true, true
		tr := &t.tracks[p.k]
		n := float64(tr.missed + 1)
		vx, vy := float64(ds[p.d].Box.X-tr.box.X)/n, float64(ds[p.d].Box.Y-tr.box.Y)/n
		if tr.vx != 0 || tr.vy != 0 {
			vx, vy = (vx+tr.vx)/2, (vy+tr.vy)/2 // smoothed: one jittery box does not fling the prediction
		}
		tr.vx, tr.vy, tr.box, tr.missed = vx, vy, ds[p.d].Box, 0
		ds[p.d].TrackID = tr.id
	}
	kept := t.tracks[:0]
	for k, tr := range t.tracks {
		if !usedT[k] {
			tr.missed++
		}
		if tr.missed <= max(t.maxMissed, 1) {
			kept = append(kept, tr)
		}
	}
	t.tracks = kept
	for i := range ds {
		if !usedD[i] {
			t.next++
			t.tracks = append(t.tracks, track{id: t.next, label: ds[i].Label, box: ds[i].Box})
			ds[i].TrackID = t.next
		}
	}
}

// addText puts OCR lines on their frames, merges repeats into spans, and
// turns text phrases into detections: "the text" is any line, "the word
// SALE" a line holding those words in that order.
func addText(res *Result, pr Prompt, results []ocrResult, info media.Info) {
	var spans []TextSpan
	slots := map[int]int{}
	for i, fr := range res.Frames {
		slots[fr.FrameIndex] = i
	}
	for _, r := range results {
		slot, ok := slots[r.index]
		if !ok {
			continue
		}
		fr := &res.Frames[slot]
		for _, l := range r.lines {
			l.BoundingBox = RatioOf(l.Box, info.Width, info.Height)
			fr.Text = append(fr.Text, l)
			merged := false
			for i := range spans {
				if spans[i].Text == l.Text {
					spans[i].LastFrame, spans[i].Confidence, merged = r.index, math.Max(spans[i].Confidence, l.Confidence), true
				}
			}
			if !merged {
				spans = append(spans, TextSpan{Text: l.Text, FirstFrame: r.index, LastFrame: r.index, Confidence: l.Confidence})
			}
			for _, ph := range pr.Phrases {
				if ph.Category == "text" && holdsWords(l.Text, ph.Labels) {
					fr.Detections = append(fr.Detections, Detection{Label: "text", Phrase: ph.Text, Confidence: l.Confidence, Box: l.Box, BoundingBox: l.BoundingBox, Text: l.Text})
				}
			}
		}
	}
	if spans != nil {
		res.Texts = spans
	}
}

// holdsWords says whether line holds words, consecutively and whole (case
// and punctuation aside); no words means any line.
func holdsWords(line string, words []string) bool {
	got := strings.FieldsFunc(strings.ToUpper(line), notWordRune)
	for i := 0; i+len(words) <= len(got); i++ {
		match := true
		for k, w := range words {
			if got[i+k] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
