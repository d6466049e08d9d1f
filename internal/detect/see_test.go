package detect_test

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/ean"
	"github.com/boombuler/barcode/qr"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/media/mediatest"
)

// TestReadPrompts: what each prompt is read as — labels, attributes, text
// words, and the words scry says it cannot check.
func TestReadPrompts(t *testing.T) {
	type want struct {
		intent  detect.Intent
		nouns   []string
		labels  []string // of the first phrase
		attrs   []detect.Attribute
		unknown []string
		cannot  bool
	}
	cases := map[string]want{
		"Detect the apple in the video":        {detect.IntentDetect, []string{"apple"}, []string{"apple"}, nil, nil, false},
		"Detect if apples appear":              {detect.IntentPresence, []string{"apple"}, []string{"apple"}, nil, nil, false},
		"Detect the white car with red wheels": {detect.IntentDetect, []string{"car"}, []string{"car"}, []detect.Attribute{{Kind: "colour", Value: "white"}, {Kind: "part", Value: "red", Part: "wheel"}}, nil, false},
		"Detect the person on the left":        {detect.IntentDetect, []string{"person"}, []string{"person"}, []detect.Attribute{{Kind: "position", Value: "left"}}, nil, false},
		"Detect the large dog":                 {detect.IntentDetect, []string{"dog"}, []string{"dog"}, []detect.Attribute{{Kind: "size", Value: "large"}}, nil, false},
		"Detect the shiny car":                 {detect.IntentDetect, []string{"car"}, []string{"car"}, nil, []string{"shiny"}, false},
		"Detect the people and bikes":          {detect.IntentDetect, []string{"person", "bicycle"}, []string{"person"}, nil, nil, false},
		"Detect if a woman appears":            {detect.IntentPresence, []string{"woman"}, []string{"woman"}, nil, nil, true},
		"Detect the QR codes and barcodes":     {detect.IntentDetect, []string{"qr code", "barcode"}, []string{"qr code"}, nil, nil, false},
		"Find the traffic lights":              {detect.IntentDetect, []string{"traffic light"}, []string{"traffic light"}, nil, nil, false},
		"Detect if the word SALE appears":      {detect.IntentPresence, []string{"text"}, []string{"SALE"}, nil, nil, false},
		`Does the text "Open now" appear?`:     {detect.IntentPresence, []string{"text"}, []string{"OPEN", "NOW"}, nil, nil, false},
		"Detect the word 'exit'":               {detect.IntentDetect, []string{"text"}, []string{"EXIT"}, nil, nil, false},
		"Detect the text":                      {detect.IntentDetect, []string{"text"}, []string{}, nil, nil, false},
		"Read the text on screen":              {detect.IntentDetect, []string{"text"}, []string{}, nil, nil, false},
		"Detect the red one":                   {detect.IntentDetect, []string{"region"}, []string{"region"}, []detect.Attribute{{Kind: "colour", Value: "red"}}, nil, false},
		"Detect the orange":                    {detect.IntentDetect, []string{"orange"}, []string{"orange"}, nil, nil, false},
		"Detect the orange box":                {detect.IntentDetect, []string{"box"}, []string{"box"}, []detect.Attribute{{Kind: "colour", Value: "orange"}}, nil, false},
		"Detect the red or blue car":           {detect.IntentDetect, []string{"car", "car"}, []string{"car"}, []detect.Attribute{{Kind: "colour", Value: "red"}}, nil, false},
		"Detect the person in a red shirt":     {detect.IntentDetect, []string{"person"}, []string{"person"}, []detect.Attribute{{Kind: "part", Value: "red", Part: "shirt"}}, nil, false},
		"Detect the person holding a bottle":   {detect.IntentDetect, []string{"person"}, []string{"person"}, nil, []string{"holding bottle"}, false},
		"Detect the car that is not white":     {detect.IntentDetect, []string{"car"}, []string{"car"}, nil, []string{"that not white"}, false},
		"Detect the licence plate":             {detect.IntentDetect, []string{"licence plate"}, []string{"licence plate"}, nil, nil, false},
	}
	for prompt, w := range cases {
		pr := detect.Read(prompt)
		var nouns []string
		for _, ph := range pr.Phrases {
			nouns = append(nouns, ph.Noun)
		}
		if pr.Intent != w.intent || !reflect.DeepEqual(nouns, w.nouns) {
			t.Errorf("%q: intent %s nouns %v, want %s %v", prompt, pr.Intent, nouns, w.intent, w.nouns)
			continue
		}
		ph := pr.Phrases[0]
		if !reflect.DeepEqual(ph.Labels, w.labels) || !reflect.DeepEqual(ph.Attributes, w.attrs) || !reflect.DeepEqual(ph.Unknown, w.unknown) || (ph.Cannot != "") != w.cannot {
			t.Errorf("%q: %+v", prompt, ph)
		}
	}
	fruit := detect.Read("Detect all the fruit items").Phrases[0]
	if fruit.Category != "fruit" || len(fruit.Labels) < 3 || fruit.Labels[0] != "apple" {
		t.Errorf("fruit: %+v", fruit)
	}
}

// TestColourNeverNamesAThing: a colour region answers "the red box" but
// never "the blue car" or "the red apple": without an object detector
// those are unsupported — no box, no presence either way.
func TestColourNeverNamesAThing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "colours.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=0x5070a0:s=640x360", "-f", "lavfi", "-i", "color=c=red:s=120x200",
		"-filter_complex", "[0][1]overlay=x=260:y=100", "-frames:v", "1", p)
	for _, prompt := range []string{"Detect the blue car", "Detect if a red car appears", "Detect the red apple", "Detect the shiny red box"} {
		res, err := detect.Analyze(context.Background(), p, prompt, detect.Options{}, builtin)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Frames[0].Detections) != 0 || len(res.Presence) != 0 || len(res.Unsupported) != 1 {
			t.Errorf("%q: detections %+v presence %+v unsupported %+v", prompt, res.Frames[0].Detections, res.Presence, res.Unsupported)
		}
		t.Logf("%q: unsupported: %s", prompt, res.Unsupported[0].Reason)
	}
	res, err := detect.Analyze(context.Background(), p, "Detect the red region", detect.Options{}, builtin)
	if err != nil || len(res.Frames[0].Detections) != 1 || !res.Presence[0].Present {
		t.Fatalf("red region: %v %+v", err, res)
	}
}

// TestTextInAShortShot: a word on screen for a 2-second shot between two
// long shots is read, whatever the OCR interval; "the text" is present when
// lines were read; absence is claimed only over examined shots.
func TestTextInAShortShot(t *testing.T) {
	font := ocrReady(t)
	p := filepath.Join(t.TempDir(), "short.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=0x204060:s=640x360:r=25:d=5", "-f", "lavfi", "-i", "color=c=yellow:s=640x360:r=25:d=2",
		"-f", "lavfi", "-i", "color=c=0x406020:s=640x360:r=25:d=5",
		"-filter_complex", "[1]drawtext=fontfile="+font+":text='CLEARANCE':fontsize=64:fontcolor=black:x=120:y=140[t];[0][t][2]concat=n=3:v=1:a=0[v]",
		"-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p", p)
	for _, every := range []float64{0, 10, 60} {
		res, err := detect.Analyze(context.Background(), p, "Detect if the word clearance appears", detect.Options{OCR: &detect.OCR{}, TextEvery: every}, builtin)
		if err != nil {
			t.Fatal(err)
		}
		pres := res.Presence[0]
		if !pres.Present || pres.Examined != "all" || len(res.Shots) != 3 {
			t.Fatalf("every %gs: presence %+v shots %d texts %+v", every, pres, len(res.Shots), res.Texts)
		}
		t.Logf("every %gs: CLEARANCE present in frames %v (%d shots, all examined)", every, pres.Frames, len(res.Shots))
	}
	res, err := detect.Analyze(context.Background(), p, "Detect the text", detect.Options{OCR: &detect.OCR{}}, builtin)
	if err != nil || len(res.Presence) != 1 || !res.Presence[0].Present || len(res.Texts) == 0 {
		t.Fatalf("the text: %v presence %+v texts %+v", err, res.Presence, res.Texts)
	}
	res, err = detect.Analyze(context.Background(), p, `Does the text "closing down" appear?`, detect.Options{OCR: &detect.OCR{}}, builtin)
	if err != nil || res.Presence[0].Present || res.Presence[0].Examined != "all" {
		t.Fatalf("absent words: %v presence %+v", err, res.Presence)
	}
}

func ocrReady(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("OCR test skipped: no tesseract on PATH (apt-get install tesseract-ocr)")
	}
	font := "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
	if _, err := os.Stat(font); err != nil {
		t.Skip("OCR test skipped: no DejaVu font (apt-get install fonts-dejavu-core)")
	}
	return font
}

// TestTSVIsNotCSV: a straight double quote inside a word does not swallow
// the rows after it.
func TestTSVIsNotCSV(t *testing.T) {
	tsv := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t91.5\t\"Fresh\n" +
		"5\t1\t1\t1\t1\t2\t70\t10\t50\t20\t90.1\tapples\n" +
		"5\t1\t1\t1\t2\t1\t10\t40\t50\t20\t88.0\tdaily\"\n" +
		"5\t1\t1\t1\t2\t2\t70\t40\t50\t20\t12.0\t~\n"
	if got := detect.ParseTSV(tsv); !reflect.DeepEqual(got, []string{`"Fresh`, "apples", `daily"`}) {
		t.Fatalf("words %q", got)
	}
}

// TestCodesCreditedByKind: an EAN-13 barcode and a QR code in one picture,
// asked as "the QR codes and barcodes": each is credited to its phrase.
func TestCodesCreditedByKind(t *testing.T) {
	dir := t.TempDir()
	q, _ := qr.Encode("https://scry.example/item/7", qr.M, qr.Auto)
	q, _ = barcode.Scale(q, 160, 160)
	e, err := ean.Encode("5901234123457")
	if err != nil {
		t.Fatal(err)
	}
	eb, _ := barcode.Scale(e, 300, 100)
	for name, img := range map[string]barcode.Barcode{"qr.png": q, "ean.png": eb} {
		f, _ := os.Create(filepath.Join(dir, name))
		png.Encode(f, img)
		f.Close()
	}
	p := filepath.Join(dir, "codes.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=white:s=800x400", "-i", filepath.Join(dir, "qr.png"), "-i", filepath.Join(dir, "ean.png"),
		"-filter_complex", "[0][1]overlay=x=40:y=100[a];[a][2]overlay=x=400:y=150", "-frames:v", "1", p)
	res, err := detect.Analyze(context.Background(), p, "Detect the QR codes and barcodes", detect.Options{}, []detect.Detector{&detect.Builtin{}, &detect.Codes{}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range res.Frames[0].Detections {
		got[d.Phrase] = d.Label + ":" + d.Text
	}
	if got["qr codes"] != "qr code:https://scry.example/item/7" || got["barcodes"] != "barcode:5901234123457" {
		t.Fatalf("credited %v", got)
	}
	if !res.Presence[0].Present || !res.Presence[1].Present {
		t.Fatalf("presence %+v", res.Presence)
	}
}

// TestPresenceSaysWhatWasExamined: a backend that finds only apples cannot
// say no fruit is present: the entry is partial and says why.
func TestPresenceSaysWhatWasExamined(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "apple.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "testsrc=s=120x120", "-frames:v", "1", ref)
	scene := filepath.Join(dir, "scene.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=640x360", "-frames:v", "1", scene)
	ex, err := detect.LoadExemplar(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	ex.Label = "apple"
	res, err := detect.Analyze(context.Background(), scene, "Detect if fruit appears", detect.Options{}, []detect.Detector{ex})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Presence[0]
	if p.Present || p.Examined != "partial" || !strings.Contains(p.Reason, "only apple") {
		t.Fatalf("presence %+v", p)
	}
	t.Logf("fruit: %s", p.Reason)
}

// TestOneTrackPerWalker: a box crossing the frame faster than its own
// width per sampled frame, hidden for a second midway, keeps one track.
func TestOneTrackPerWalker(t *testing.T) {
	p := filepath.Join(t.TempDir(), "walker.mp4")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=640x360:r=25:d=5", "-f", "lavfi", "-i", "color=c=red:s=40x80:r=25:d=5",
		"-filter_complex", "[0][1]overlay=x='20+t*110':y=140:enable='not(between(t,2.1,2.9))'", "-c:v", "libx264", "-pix_fmt", "yuv420p", p)
	res, err := detect.Analyze(context.Background(), p, "Detect the red box", detect.Options{}, builtin)
	if err != nil {
		t.Fatal(err)
	}
	tracks, seen := map[int]bool{}, 0
	for _, fr := range res.Frames {
		for _, d := range fr.Detections {
			tracks[d.TrackID] = true
			seen++
		}
	}
	if seen < 7 || len(tracks) != 1 {
		t.Fatalf("%d detections in %d tracks", seen, len(tracks))
	}
}

// TestBoxNames: boxes are named by the phrase they answer, with the class
// when the phrase is a category.
func TestBoxNames(t *testing.T) {
	for d, want := range map[detect.Detection]string{
		{Label: "box", Phrase: "red box"}:                   "red box",
		{Label: "person", Phrase: "people"}:                 "people",
		{Label: "dog", Phrase: "animals"}:                   "dog · animals",
		{Label: "car", Phrase: "white car with red wheels"}: "white car with red wheels",
		{Label: "face"}:                                     "face",
	} {
		if got := detect.BoxName(d); got != want {
			t.Errorf("%+v: %q, want %q", d, got, want)
		}
	}
}
