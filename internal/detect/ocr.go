package detect

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/media"
)

// OCR reads on-screen text with Debian's tesseract (TSV output): words with
// boxes and confidence, grouped into lines.
type OCR struct {
	Lang string // default "eng"
}

// Available reports whether tesseract can run here.
func (o *OCR) Available() bool {
	_, err := exec.LookPath("tesseract")
	return err == nil
}

type word struct {
	text             string
	conf             float64
	box              Box
	block, par, line int
}

// Read returns the lines of text of one frame, boxes in original pixels.
func (o *OCR) Read(ctx context.Context, f media.Frame, sx, sy float64) ([]TextBox, error) {
	// Grey levels, not colour: on a photograph tesseract's own binarisation
	// of the colour frame lost a black EXIT on a white card that it reads
	// at once from the grey picture.
	img := image.NewGray(image.Rect(0, 0, f.Width, f.Height))
	for i := range img.Pix {
		p := f.RGB[3*i : 3*i+3]
		img.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000)
	}
	dir, err := os.MkdirTemp("", "scry-ocr-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "frame.png")
	fh, err := os.Create(in)
	if err != nil {
		return nil, err
	}
	png.Encode(fh, img)
	fh.Close()
	lang := o.Lang
	if lang == "" {
		lang = "eng"
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "tesseract", in, "stdout", "-l", lang, "--psm", "11", "tsv")
	cmd.Stdout = &out
	// one thread: OCR runs beside ffmpeg and the detectors, and tesseract's
	// own threads would only fight them for the same cores
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	if err := cmd.Run(); err != nil {
		return nil, err
	}
	words := parseTSV(out.String(), sx, sy)
	// group words into lines
	type key struct{ b, p, l int }
	lines := map[key][]word{}
	var order []key
	for _, w := range words {
		k := key{w.block, w.par, w.line}
		if lines[k] == nil {
			order = append(order, k)
		}
		lines[k] = append(lines[k], w)
	}
	var outLines []TextBox
	for _, k := range order {
		ws := lines[k]
		sort.Slice(ws, func(i, j int) bool { return ws[i].box.X < ws[j].box.X })
		var texts []string
		b := ws[0].box
		conf := 1.0
		for _, w := range ws {
			texts = append(texts, w.text)
			x2, y2 := max(b.X+b.W, w.box.X+w.box.W), max(b.Y+b.H, w.box.Y+w.box.H)
			b.X, b.Y = min(b.X, w.box.X), min(b.Y, w.box.Y)
			b.W, b.H = x2-b.X, y2-b.Y
			conf = min(conf, w.conf)
		}
		line := TextBox{Text: strings.Join(texts, " "), Confidence: conf, Box: b}
		if !junk(line) {
			outLines = append(outLines, line)
		}
	}
	return outLines, nil
}

// parseTSV reads tesseract's TSV: tab-separated fields, one record a line,
// and no quoting at all — a '"' in the picture is a character of a word,
// not the start of a quoted field (a CSV reader swallowed the rows after
// one). Words below 50 % confidence are dropped.
func parseTSV(tsv string, sx, sy float64) []word {
	var words []word
	for _, rec := range strings.Split(tsv, "\n") {
		f := strings.Split(strings.TrimRight(rec, "\r"), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		text := strings.TrimSpace(strings.Join(f[11:], " "))
		if err != nil || text == "" || conf < 50 {
			continue
		}
		n := func(i int) int { v, _ := strconv.Atoi(f[i]); return v }
		words = append(words, word{text: text, conf: conf / 100, box: scale(Box{n(6), n(7), n(8), n(9)}, sx, sy), block: n(2), par: n(3), line: n(4)})
	}
	return words
}

// junk is a line OCR read out of texture rather than text: fewer than two
// letters or digits ("=", "|"), or a short fragment ("ia") read with less
// than 80 % confidence.
func junk(l TextBox) bool {
	alnum := 0
	for _, r := range l.Text {
		if !notWordRune(r) {
			alnum++
		}
	}
	return alnum < 2 || alnum <= 3 && l.Confidence < 0.8
}
