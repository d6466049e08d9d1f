package detect

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/scry-dev/scry/internal/media"
)

// plan is what the backends can do for each phrase, decided before any
// frame is decoded.
type plan struct {
	supported   []bool
	covers      [][]bool // covers[phrase][detector]: the detector can find some label of the phrase
	partial     []string // why a phrase's absence would be partial though it is examined everywhere
	unsupported []Unsupported
	ocr         bool
}

// planFor decides, phrase by phrase, which backends answer it. A phrase is
// unsupported when no backend can find any of its labels, or when it holds
// words nothing here can check ("the shiny car") and no model server reads
// phrases whole: answering "car" to "shiny car" would answer another
// question.
func planFor(pr Prompt, detectors []Detector, ocr bool) plan {
	pl := plan{supported: make([]bool, len(pr.Phrases)), covers: make([][]bool, len(pr.Phrases)), partial: make([]string, len(pr.Phrases)), ocr: ocr}
	names := make([]string, len(detectors))
	open, haveObjects := false, false
	for k, d := range detectors {
		names[k] = d.Name()
		if _, ok := d.(OpenVocabulary); ok {
			open = true
		}
		if _, ok := d.(*Objects); ok {
			haveObjects = true
		}
	}
	backends := strings.Join(names, ", ")
	for i, ph := range pr.Phrases {
		pl.covers[i] = make([]bool, len(detectors))
		unsupported := func(reason string) {
			pl.unsupported = append(pl.unsupported, Unsupported{Phrase: ph.Text, Backend: backends, Reason: reason})
		}
		if ph.Category == "text" {
			pl.supported[i] = ocr
			if !ocr {
				unsupported("on-screen text needs OCR, and tesseract is not installed here (apt-get install tesseract-ocr tesseract-ocr-eng)")
			}
			continue
		}
		if len(ph.Unknown) > 0 && !open {
			unsupported(fmt.Sprintf("scry cannot check %s on a %s: the built-in detectors check colours, the colour of parts (wheels, roof, shirt, trousers…), size (large, small) and position (on the left…); configure a model server to read other words", quoteAll(ph.Unknown), ph.Noun))
			continue
		}
		found := map[string]bool{}
		for k, d := range detectors {
			for _, l := range d.Covers(ph) {
				found[l] = true
				pl.covers[i][k] = true
			}
		}
		if len(found) == 0 {
			reason := ph.Cannot
			if reason == "" && !haveObjects && len((&Objects{}).Covers(ph)) > 0 {
				reason = fmt.Sprintf("the built-in object detector finds a %q, but its model is not installed here: run `make deps` (or set SCRY_MODELS to the folder that holds it)", ph.Noun)
			}
			if reason == "" {
				reason = fmt.Sprintf("no configured detector can find a %q (the built-in ones find COCO's 80 everyday objects, colours of generic shapes, motion, faces, QR codes and barcodes, text and salient regions; configure a model server for open vocabulary)", ph.Noun)
			}
			unsupported(reason)
			continue
		}
		pl.supported[i] = true
		var missing, have []string
		for _, l := range ph.Labels {
			if found[l] {
				have = append(have, l)
			} else {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			pl.partial[i] = fmt.Sprintf("the detectors here find only %s of %q, not %s", strings.Join(have, ", "), ph.Noun, strings.Join(missing, ", "))
		}
	}
	return pl
}

func quoteAll(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = fmt.Sprintf("%q", w)
	}
	return strings.Join(q, " and ")
}

// frameWork is what the analysis gathered for one frame.
type frameWork struct {
	millis int64
	cands  []Candidate
	ran    []bool // ran[detector]: the detector examined this frame
	read   bool   // OCR read this frame
}

// analysis is one run over one file: two decodes in one ffmpeg (every
// frame small for shots and colours, sampled frames at detail size for
// faces, codes, objects and OCR), merged per frame at the end.
type analysis struct {
	ctx        context.Context
	path       string
	info       media.Info
	opt        Options
	pr         Prompt
	pl         plan
	detectors  []Detector
	w, h       int // analysis frame
	dw, dh     int // detail frame
	step       int
	shots      *media.ShotDetector
	mu         sync.Mutex
	work       map[int]*frameWork
	ocr        *ocrQueue
	lastThumb  []byte
	lastReadMs int64
	below      map[int]float64 // phrase → best confidence the filter dropped
}

func newAnalysis(ctx context.Context, path string, info media.Info, opt Options, pr Prompt, pl plan, detectors []Detector) *analysis {
	a := &analysis{ctx: ctx, path: path, info: info, opt: opt, pr: pr, pl: pl, detectors: detectors, shots: media.NewShotDetector(), work: map[int]*frameWork{}, below: map[int]float64{}}
	a.w, a.h = info.Fit(opt.Width)
	a.dw, a.dh = info.Fit(min(opt.DetailWidth, max(info.Width, opt.Width)))
	a.step = max(1, int(math.Round(info.FrameRate/opt.FPS)))
	a.ocr = &ocrQueue{}
	if pl.ocr {
		a.ocr = newOCRQueue(ctx, opt.OCR, info)
	}
	// Texts[] come from OCR in every analysis; when the prompt asks for
	// text, a changing picture is read every second rather than every ten
	// (OCR is the slowest step).
	if a.opt.TextEvery <= 0 {
		a.opt.TextEvery = 10
		for _, ph := range pr.Phrases {
			if ph.Category == "text" {
				a.opt.TextEvery = 1
			}
		}
	}
	return a
}

func (a *analysis) at(idx int, millis int64) *frameWork {
	fw := a.work[idx]
	if fw == nil {
		fw = &frameWork{millis: millis, ran: make([]bool, len(a.detectors))}
		a.work[idx] = fw
	}
	return fw
}

// run runs the detectors that read frames of this kind (detail or not) on
// f, checks the attributes of what they found, and records both.
func (a *analysis) run(f media.Frame, detail bool) {
	sx, sy := float64(a.info.Width)/float64(f.Width), float64(a.info.Height)/float64(f.Height)
	var cands []Candidate
	var ran []int
	for k, d := range a.detectors {
		if _, ok := d.(Detailed); ok != detail {
			continue
		}
		cands = append(cands, d.Detect(f, sx, sy, a.pr)...)
		ran = append(ran, k)
	}
	cands = checkAttributes(f, sx, sy, a.pr, cands)
	a.mu.Lock()
	defer a.mu.Unlock()
	fw := a.at(f.Index, f.TimeMillis)
	fw.cands = append(fw.cands, cands...)
	for _, k := range ran {
		fw.ran[k] = true
	}
}

// decode is the one pass over the file.
func (a *analysis) decode() error {
	small := media.Frame{Width: 64, Height: 36, RGB: make([]byte, 64*36*3)}
	analyse := func(f media.Frame) error {
		if !a.info.Image {
			media.Downscale(f, &small)
			a.shots.Add(small)
		}
		if f.Index%a.step != 0 {
			return nil
		}
		a.run(f, false)
		if a.opt.Progress != nil {
			a.opt.Progress(f.Index, a.info.FrameCount)
		}
		return nil
	}
	detail := func(f media.Frame) {
		a.run(f, true)
		a.maybeRead(f)
	}
	if a.info.Image {
		if err := media.Frames(a.ctx, a.path, a.info, a.w, a.h, 0, analyse); err != nil {
			return err
		}
		f, err := media.FrameAt(a.ctx, a.path, a.info, 0, a.dw, a.dh)
		if err != nil {
			return err
		}
		detail(f)
		return nil
	}
	return media.FramesWithStills(a.ctx, a.path, a.info, a.w, a.h, analyse, a.step, a.dw, a.dh, detail)
}

// maybeRead hands a detail frame to OCR when the picture changed since the
// last read (mean difference of 64×36 thumbnails) and TextEvery has passed,
// or when nothing was read yet. It runs on the detail goroutine only.
func (a *analysis) maybeRead(f media.Frame) {
	if a.ocr.jobs == nil {
		return
	}
	thumb := media.Frame{Width: 64, Height: 36, RGB: make([]byte, 64*36*3)}
	media.Downscale(f, &thumb)
	if a.lastThumb != nil {
		diff := 0
		for i := range thumb.RGB {
			d := int(thumb.RGB[i]) - int(a.lastThumb[i])
			diff += max(d, -d)
		}
		changed := float64(diff)/float64(len(thumb.RGB)) > 6
		if !changed || float64(f.TimeMillis-a.lastReadMs) < a.opt.TextEvery*1000 {
			return
		}
	}
	a.lastThumb, a.lastReadMs = thumb.RGB, f.TimeMillis
	a.ocr.read(f)
}

// backstop examines, for every shot no sampled frame fell in or OCR never
// read, the shot's middle frame.
func (a *analysis) backstop(shots []media.Segment) error {
	if a.info.Image {
		return nil
	}
	for _, r := range a.detectors {
		if b, ok := r.(*Builtin); ok {
			b.prev = nil // the middle of a shot has no previous frame to compare with
		}
	}
	examined := a.frameIndices()
	for _, sh := range shots {
		sampled := len(within(examined, sh.StartFrame, sh.EndFrame)) > 0
		read := a.ocr.readIn(sh.StartFrame, sh.EndFrame)
		if sampled && (read || a.ocr.jobs == nil) {
			continue
		}
		mid := (sh.StartFrame + sh.EndFrame) / 2
		f, err := media.FrameAt(a.ctx, a.path, a.info, mid, a.dw, a.dh)
		if err != nil {
			continue // not examined: presence says so
		}
		if !sampled {
			a.run(f, true)
			sm := media.Frame{Width: a.w, Height: a.h, RGB: make([]byte, a.w*a.h*3)}
			media.Downscale(f, &sm)
			a.run(sm, false)
		}
		if !read && a.ocr.jobs != nil {
			a.ocr.read(f)
		}
	}
	return a.ctx.Err()
}

// frameIndices is the examined frames' indices in order.
func (a *analysis) frameIndices() []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sortedLocked()
}

func (a *analysis) sortedLocked() []int {
	idx := make([]int, 0, len(a.work))
	for i := range a.work {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	return idx
}

// within is the part of the sorted idx in [from, to]: a shot's frames
// without a scan of every frame for every shot.
func within(idx []int, from, to int) []int {
	return idx[sort.SearchInts(idx, from):sort.SearchInts(idx, to+1)]
}

// results turns the gathered candidates into frames in order: overlapping
// boxes merged, weak and unsupported ones dropped, tracks assigned.
func (a *analysis) results() []FrameResult {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range a.ocr.results {
		a.at(r.index, r.millis).read = true
	}
	idx := a.sortedLocked()
	tr := &tracker{maxMissed: max(2, int(math.Ceil(2*a.opt.FPS)))}
	out := make([]FrameResult, 0, len(idx))
	for _, i := range idx {
		fw := a.work[i]
		fr := FrameResult{FrameIndex: i, TimestampMillis: fw.millis, Detections: []Detection{}, Text: []TextBox{}}
		for _, c := range nms(fw.cands, 0.5) {
			if c.Phrase >= 0 && !a.pl.supported[c.Phrase] {
				continue
			}
			if c.Confidence < a.opt.MinConfidence {
				if c.Phrase >= 0 {
					a.below[c.Phrase] = max(a.below[c.Phrase], c.Confidence)
				}
				continue
			}
			phrase := "most visually important elements"
			if c.Phrase >= 0 {
				phrase = a.pr.Phrases[c.Phrase].Text
			}
			fr.Detections = append(fr.Detections, Detection{Label: c.Label, Phrase: phrase, Confidence: c.Confidence, Box: c.Box,
				BoundingBox: RatioOf(c.Box, a.info.Width, a.info.Height), Text: c.Text})
		}
		tr.assign(fr.Detections)
		out = append(out, fr)
	}
	return out
}

// examined is phrase i's presence entry before detections count: which
// shots a backend able to find it looked at.
func (a *analysis) examined(i int, ph Phrase, shots []media.Segment) Presence {
	a.mu.Lock()
	defer a.mu.Unlock()
	looked := 0
	examined := a.sortedLocked()
	for _, sh := range shots {
		for _, idx := range within(examined, sh.StartFrame, sh.EndFrame) {
			fw := a.work[idx]
			ok := ph.Category == "text" && fw.read
			for k, ran := range fw.ran {
				ok = ok || ran && a.pl.covers[i][k]
			}
			if ok {
				looked++
				break
			}
		}
	}
	p := Presence{Phrase: ph.Text, Examined: "all", BelowThreshold: a.below[i]}
	var why []string
	if looked < len(shots) {
		why = append(why, fmt.Sprintf("%d of %d shots were examined", looked, len(shots)))
	}
	if a.pl.partial[i] != "" {
		why = append(why, a.pl.partial[i])
	}
	if len(why) > 0 {
		p.Examined, p.Reason = "partial", strings.Join(why, "; ")
	}
	return p
}

// ocrQueue reads frames with OCR on its own goroutine, so tesseract runs
// beside the decode and the detectors.
type ocrQueue struct {
	jobs    chan media.Frame
	done    chan struct{}
	mu      sync.Mutex
	queued  []int // frame indices handed to OCR
	results []ocrResult
}

type ocrResult struct {
	index  int
	millis int64
	lines  []TextBox
}

func newOCRQueue(ctx context.Context, o *OCR, info media.Info) *ocrQueue {
	q := &ocrQueue{jobs: make(chan media.Frame, 4), done: make(chan struct{})}
	go func() {
		defer close(q.done)
		for f := range q.jobs {
			lines, err := o.Read(ctx, f, float64(info.Width)/float64(f.Width), float64(info.Height)/float64(f.Height))
			if err != nil {
				continue // that frame's text is lost, not the analysis; presence counts it unread
			}
			q.mu.Lock()
			q.results = append(q.results, ocrResult{index: f.Index, millis: f.TimeMillis, lines: lines})
			q.mu.Unlock()
		}
	}()
	return q
}

// read queues a copy of f (the decoder reuses its buffers).
func (q *ocrQueue) read(f media.Frame) {
	f.RGB = append([]byte(nil), f.RGB...)
	q.mu.Lock()
	q.queued = append(q.queued, f.Index)
	q.mu.Unlock()
	q.jobs <- f
}

// readIn says whether a read was queued for a frame in [from, to]; reads
// still in the queue count, as wait() finishes them.
func (q *ocrQueue) readIn(from, to int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, i := range q.queued {
		if i >= from && i <= to {
			return true
		}
	}
	return false
}

func (q *ocrQueue) wait() {
	if q.jobs == nil {
		return
	}
	close(q.jobs)
	<-q.done
}
