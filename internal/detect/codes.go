package detect

import (
	"math"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/makiuchi-d/gozxing/oned"

	"github.com/scry-dev/scry/internal/media"
)

// Codes finds QR codes and Code 128 / EAN barcodes with gozxing; a decoded
// code is certain, so its confidence is high, and its content travels with
// the detection.
type Codes struct{}

var _ Detector = (*Codes)(nil)

func (c *Codes) Name() string { return "codes" }

func (c *Codes) Covers(p Phrase) []string {
	var out []string
	for _, l := range p.Labels {
		if l == "qr code" || l == "barcode" {
			out = append(out, l)
		}
	}
	return out
}

func (*Codes) Detailed() {}

// Detect credits each code to the first phrase naming its kind: an EAN
// found for "the QR codes and barcodes" is a barcode, not a QR code.
func (c *Codes) Detect(f media.Frame, sx, sy float64, pr Prompt) []Candidate {
	want := map[string]int{}
	for i, ph := range pr.Phrases {
		for _, l := range c.Covers(ph) {
			if _, ok := want[l]; !ok {
				want[l] = i
			}
		}
	}
	if len(want) == 0 {
		return nil
	}
	img := f.Image()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return nil
	}
	var out []Candidate
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	if pi, ok := want["qr code"]; ok {
		if rs, err := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, hints); err == nil {
			for _, r := range rs {
				out = append(out, candidate(pi, "qr code", r, sx, sy))
			}
		}
	}
	if pi, ok := want["barcode"]; ok {
		for _, rd := range []gozxing.Reader{oned.NewCode128Reader(), oned.NewMultiFormatUPCEANReader(nil)} {
			if r, err := rd.Decode(bmp, hints); err == nil {
				out = append(out, candidate(pi, "barcode", r, sx, sy))
			}
		}
	}
	return out
}

// candidate boxes a code by its result points (finder pattern centres for
// QR, bar ends for 1-D codes), widened by the pattern margin.
func candidate(phrase int, label string, r *gozxing.Result, sx, sy float64) Candidate {
	pts := r.GetResultPoints()
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p.GetX()), math.Max(maxX, p.GetX())
		minY, maxY = math.Min(minY, p.GetY()), math.Max(maxY, p.GetY())
	}
	pad := (maxX - minX) / 7 // finder centres sit 3.5 modules in from the edge of a ~25-module code
	if label == "barcode" {
		pad = 4
		minY, maxY = minY-10, maxY+10
	}
	b := Box{X: int(minX - pad), Y: int(minY - pad), W: int(maxX - minX + 2*pad), H: int(maxY - minY + 2*pad)}
	return Candidate{Phrase: phrase, Label: label, Confidence: 0.95, Box: scale(b, sx, sy), Text: r.GetText()}
}
