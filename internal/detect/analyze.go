package detect

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/media"
)

// Options tune an analysis.
type Options struct {
	FPS           float64 // frames analysed per second (default 2)
	MinConfidence float64 // detections below are dropped (default 0.5)
	Width         int     // analysis width in pixels (default 320; OCR reads its own frames at up to 960)
	Limits        media.Limits
	OCR           *OCR    // on-screen text; nil = none
	TextEvery     float64 // seconds between OCR frames (default 10; OCR is the slowest step)
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
// one, so a mention with nothing behind it shows as present: false.
type Presence struct {
	Phrase        string  `json:"phrase"`
	Present       bool    `json:"present"`
	MaxConfidence float64 `json:"max_confidence"`
	Frames        []int   `json:"frames"`
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
	if opt.FPS <= 0 {
		opt.FPS = 2
	}
	if opt.MinConfidence == 0 {
		opt.MinConfidence = 0.5
	}
	if opt.Width <= 0 {
		opt.Width = 320
	}
	if opt.Limits.MaxBytes == 0 {
		opt.Limits = media.DefaultLimits
	}
	info, err := media.Probe(ctx, path, opt.Limits)
	if err != nil {
		return nil, err
	}
	pr, err := ReadChecked(prompt)
	if err != nil {
		return nil, err
	}
	res := &Result{Prompt: pr, Metadata: info, Frames: []FrameResult{}, Presence: []Presence{}, Unsupported: []Unsupported{}, Texts: []TextSpan{}}
	ocrOn := opt.OCR != nil && opt.OCR.Available()
	names := make([]string, len(detectors))
	for k, d := range detectors {
		names[k] = d.Name()
	}
	supported := make([]bool, len(pr.Phrases))
	for i, ph := range pr.Phrases {
		supported[i] = ph.Category == "text" && ocrOn
		for _, d := range detectors {
			supported[i] = supported[i] || d.Supports(ph)
		}
		if !supported[i] {
			res.Unsupported = append(res.Unsupported, Unsupported{Phrase: ph.Text, Backend: strings.Join(names, ", "),
				Reason: fmt.Sprintf("no configured detector can find a %q (the built-in ones ground colours, shapes, motion, faces, QR codes and barcodes, text and salient regions; configure a model server for open vocabulary)", ph.Noun)})
		}
	}
	// One decode of every frame at analysis resolution: each frame feeds the
	// shot detector (downscaled further), every step-th one the detectors.
	w, h := info.Fit(opt.Width)
	sx, sy := float64(info.Width)/float64(w), float64(info.Height)/float64(h)
	step := max(1, int(math.Round(info.FrameRate/opt.FPS)))
	sd := media.NewShotDetector()
	small := media.Frame{Width: 64, Height: 36, RGB: make([]byte, 64*36*3)}
	tr := &tracker{}
	var texts []ocrResult
	var textMu sync.Mutex
	analyse := func(f media.Frame) error {
		if !info.Image {
			media.Downscale(f, &small)
			sd.Add(small)
		}
		if f.Index%step != 0 {
			return nil
		}
		var cands []Candidate
		for _, d := range detectors {
			cands = append(cands, d.Detect(f, sx, sy, pr)...)
		}
		cands = nms(cands, 0.5)
		fr := FrameResult{FrameIndex: f.Index, TimestampMillis: f.TimeMillis, Detections: []Detection{}, Text: []TextBox{}}
		for _, c := range cands {
			if c.Confidence < opt.MinConfidence || c.Phrase >= 0 && !supported[c.Phrase] {
				continue
			}
			phrase := "most visually important elements"
			if c.Phrase >= 0 {
				phrase = pr.Phrases[c.Phrase].Text
			}
			fr.Detections = append(fr.Detections, Detection{Label: c.Label, Phrase: phrase, Confidence: c.Confidence, Box: c.Box,
				BoundingBox: RatioOf(c.Box, info.Width, info.Height), Text: c.Text})
		}
		tr.assign(fr.Detections)
		res.Frames = append(res.Frames, fr)
		if opt.Progress != nil {
			opt.Progress(f.Index, info.FrameCount)
		}
		return nil
	}
	every, ow, oh := ocrPlan(opt, info, step)
	// read runs on the stills goroutine: OCR failures lose that frame's
	// text, not the analysis.
	read := func(f media.Frame) {
		lines, err := opt.OCR.Read(ctx, f, float64(info.Width)/float64(ow), float64(info.Height)/float64(oh))
		if err == nil {
			textMu.Lock()
			texts = append(texts, ocrResult{index: f.Index, lines: lines})
			textMu.Unlock()
		}
	}
	if ocrOn && !info.Image {
		err = media.FramesWithStills(ctx, path, info, w, h, analyse, every, ow, oh, read)
	} else {
		err = media.Frames(ctx, path, info, w, h, 0, analyse)
		if err == nil && ocrOn {
			if f, ferr := media.FrameAt(ctx, path, info, 0, ow, oh); ferr == nil {
				read(f)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	sort.Slice(texts, func(i, j int) bool { return texts[i].index < texts[j].index })
	addText(res, pr, texts, info)
	if info.Image {
		res.Shots = []media.Segment{{Index: 0, StartTimecode: "00:00:00:00", EndTimecode: "00:00:00:00"}}
	} else {
		res.Shots = sd.Shots(info.FrameRate)
	}
	res.Chapters = media.Chapters(res.Shots, math.Max(info.FrameRate, 1), 30, 5*60*1000)
	for i, ph := range pr.Phrases {
		if supported[i] {
			res.Presence = append(res.Presence, Presence{Phrase: ph.Text})
		}
	}
	res.UpdatePresence()
	return res, nil
}

// UpdatePresence recomputes every presence entry from the frames: a phrase
// is present where a detection of it has a confidence above zero (people
// who rejected a box set it to zero).
func (res *Result) UpdatePresence() {
	for k := range res.Presence {
		p := Presence{Phrase: res.Presence[k].Phrase, Frames: []int{}}
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

// tracker links detections across frames (SORT-style: IoU between each
// track's constant-velocity prediction and the new boxes).
type tracker struct {
	tracks []track
	next   int
}

type track struct {
	id     int
	label  string
	box    Box
	vx, vy float64
	missed int
}

func (t *tracker) assign(ds []Detection) {
	used := make([]bool, len(t.tracks))
	for i := range ds {
		best, bestIoU := -1, 0.2
		for k, tr := range t.tracks {
			if used[k] || tr.label != ds[i].Label {
				continue
			}
			pred := Box{X: tr.box.X + int(tr.vx), Y: tr.box.Y + int(tr.vy), W: tr.box.W, H: tr.box.H}
			if v := IoU(pred, ds[i].Box); v > bestIoU {
				best, bestIoU = k, v
			}
		}
		if best < 0 {
			t.next++
			t.tracks = append(t.tracks, track{id: t.next, label: ds[i].Label, box: ds[i].Box})
			used = append(used, true)
			ds[i].TrackID = t.next
			continue
		}
		tr := &t.tracks[best]
		tr.vx, tr.vy = float64(ds[i].Box.X-tr.box.X), float64(ds[i].Box.Y-tr.box.Y)
		tr.box, tr.missed = ds[i].Box, 0
		used[best] = true
		ds[i].TrackID = tr.id
	}
	kept := t.tracks[:0]
	for k, tr := range t.tracks {
		if !used[k] {
			tr.missed++
		}
		if tr.missed <= 3 {
			kept = append(kept, tr)
		}
	}
	t.tracks = kept
}

type ocrResult struct {
	index int
	lines []TextBox
}

// ocrPlan says which frames OCR reads and at what size: every TextEvery
// seconds (on analysed frames), up to 960 pixels wide.
func ocrPlan(opt Options, info media.Info, step int) (every, w, h int) {
	sec := opt.TextEvery
	if sec <= 0 {
		sec = 10
	}
	k := max(1, int(math.Round(sec*info.FrameRate/float64(step))))
	w, h = info.Fit(960)
	return k * step, w, h
}

// addText puts OCR lines on their frames, merges repeats into spans, and
// turns text phrases ("the word SALE") into detections.
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
				if ph.Category != "text" {
					continue
				}
				for _, want := range ph.Labels {
					if containsWord(strings.ToUpper(l.Text), want) {
						fr.Detections = append(fr.Detections, Detection{Label: "text", Phrase: ph.Text, Confidence: l.Confidence, Box: l.Box, BoundingBox: l.BoundingBox})
					}
				}
			}
		}
	}
	if spans != nil {
		res.Texts = spans
	}
}

func containsWord(text, word string) bool {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127) }) {
		if w == word {
			return true
		}
	}
	return false
}
