package detect

import (
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/objects"
)

// The adapter reports the dog in a photograph for "the dog", in original
// pixels, and leaves "the blue car" to a detector that checks colours.
func TestObjectsAdapter(t *testing.T) {
	dir, _ := filepath.Abs("../../models")
	m, err := objects.Open(dir)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer m.Close()
	fh, err := os.Open("../objects/testdata/dog.png")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	rgba := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
	f := media.Frame{Width: b.Dx(), Height: b.Dy()}
	for i := 0; i < len(rgba.Pix); i += 4 {
		f.RGB = append(f.RGB, rgba.Pix[i:i+3]...)
	}

	pr := Read("Detect the dog and the blue car")
	if len(pr.Phrases) != 2 {
		t.Fatalf("read %+v", pr)
	}
	o := &Objects{Model: m}
	if !o.Supports(pr.Phrases[0]) || o.Supports(pr.Phrases[1]) {
		t.Fatalf("supports dog %v, blue car %v; want true, false", o.Supports(pr.Phrases[0]), o.Supports(pr.Phrases[1]))
	}
	cands := o.Detect(f, 2, 2, pr)
	if o.Err() != nil {
		t.Fatal(o.Err())
	}
	if len(cands) != 1 {
		t.Fatalf("candidates %+v, want the one dog", cands)
	}
	c := cands[0]
	// The dog, drawn by hand at (65,110)–(155,270) in the PNG, doubled.
	if c.Phrase != 0 || c.Label != "dog" || c.Box.X < 110 || c.Box.X > 150 || c.Box.Y < 190 || c.Box.Y > 250 ||
		c.Box.X+c.Box.W < 290 || c.Box.X+c.Box.W > 330 || c.Box.Y+c.Box.H < 510 || c.Box.Y+c.Box.H > 560 {
		t.Errorf("candidate %+v is not the dog at (130,220)–(310,540)", c)
	}
}
