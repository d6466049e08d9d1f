package detect

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/media"
)

func pngBase64(f media.Frame) string {
	img := f.Image()
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func postJSON(ctx context.Context, client *http.Client, url, key string, body any, out any) error {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if client == nil {
		client = &http.Client{Timeout: 120 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d: %.200s", url, resp.StatusCode, raw)
	}
	return json.Unmarshal(raw, out)
}

// openLabels is what a model server can be asked for: every label, but
// not on-screen text (OCR reads that) nor motion (frame differencing).
func openLabels(p Phrase) []string {
	if p.Category == "text" || p.Category == "motion" {
		return nil
	}
	return p.Labels
}

// labelsOf is every label the prompt asks for, with the phrase it serves.
func labelsOf(pr Prompt) ([]string, map[string]int) {
	var labels []string
	of := map[string]int{}
	for i, ph := range pr.Phrases {
		if len(openLabels(ph)) == 0 {
			continue
		}
		asked := ph.Labels
		if len(ph.Attributes) > 0 || len(ph.Unknown) > 0 {
			// the model reads the phrase whole: "white car with red wheels"
			asked = []string{ph.Text}
		}
		for _, text := range asked {
			if _, dup := of[text]; !dup {
				labels = append(labels, text)
				of[text] = i
			}
		}
	}
	return labels, of
}

// Roboflow talks to a model server speaking the Roboflow Inference protocol
// (POST /grounding_dino/infer or /yolo_world/infer). Boxes come back centred
// in pixels of the sent image and are converted to top-left x, y, w, h.
type Roboflow struct {
	URL    string // e.g. http://127.0.0.1:9001
	Model  string // grounding_dino or yolo_world
	APIKey string
	Client *http.Client
	Err    error // the last error, for the caller to report
}

var _ Detector = (*Roboflow)(nil)

func (r *Roboflow) Name() string { return r.Model }

// Covers every label: open vocabulary.
func (r *Roboflow) Covers(p Phrase) []string { return openLabels(p) }
func (*Roboflow) Detailed()                  {}
func (*Roboflow) OpenVocabulary()            {}

func (r *Roboflow) Detect(f media.Frame, sx, sy float64, pr Prompt) []Candidate {
	labels, of := labelsOf(pr)
	if len(labels) == 0 {
		return nil
	}
	body := map[string]any{"image": map[string]string{"type": "base64", "value": pngBase64(f)}, "text": labels, "api_key": r.APIKey}
	if r.Model == "grounding_dino" {
		body["box_threshold"], body["text_threshold"] = 0.3, 0.25
	} else {
		body["confidence"] = 0.2
	}
	var resp struct {
		Predictions []struct {
			X, Y, Width, Height, Confidence float64
			Class                           string `json:"class"`
		} `json:"predictions"`
	}
	if err := postJSON(context.Background(), r.Client, strings.TrimRight(r.URL, "/")+"/"+r.Model+"/infer", "", body, &resp); err != nil {
		r.Err = err
		return nil
	}
	var out []Candidate
	for _, p := range resp.Predictions {
		pi, ok := of[p.Class]
		if !ok {
			continue
		}
		b := Box{X: int(p.X - p.Width/2), Y: int(p.Y - p.Height/2), W: int(p.Width), H: int(p.Height)}
		out = append(out, Candidate{Phrase: pi, Label: pr.Phrases[pi].Noun, Confidence: p.Confidence, Box: scale(b, sx, sy), Grounded: true})
	}
	return out
}

// VisionChat asks an OpenAI-compatible vision chat endpoint (Qwen2.5-VL via
// vLLM or Ollama) for JSON boxes: `bbox_2d` [x1, y1, x2, y2] in pixels of
// the image it was sent (the frame at analysis size), rescaled to the
// original frame. Such models give no confidence: a box gets the
// "confidence" the model writes if any, else DefaultConfidence.
type VisionChat struct {
	URL, Model, APIKey string
	Client             *http.Client
	DefaultConfidence  float64 // default 0.6
	Err                error
}

var _ Detector = (*VisionChat)(nil)

func (v *VisionChat) Name() string { return "vision:" + v.Model }

func (v *VisionChat) Covers(p Phrase) []string { return openLabels(p) }
func (*VisionChat) Detailed()                  {}
func (*VisionChat) OpenVocabulary()            {}

var reJSON = regexp.MustCompile(`(?s)\[.*\]`)

func (v *VisionChat) Detect(f media.Frame, sx, sy float64, pr Prompt) []Candidate {
	labels, of := labelsOf(pr)
	if len(labels) == 0 {
		return nil
	}
	prompt := fmt.Sprintf("Find every %s in this %dx%d image. Answer only with a JSON list like "+
		`[{"label": "...", "bbox_2d": [x1, y1, x2, y2]}]`+" using pixel coordinates of this image; [] if there is none.",
		strings.Join(labels, ", "), f.Width, f.Height)
	body := map[string]any{"model": v.Model, "temperature": 0, "messages": []any{map[string]any{"role": "user", "content": []any{
		map[string]any{"type": "text", "text": prompt},
		map[string]any{"type": "image_url", "image_url": map[string]string{"url": "data:image/png;base64," + pngBase64(f)}},
	}}}}
	var resp struct {
		Choices []struct {
			Message struct{ Content string } `json:"message"`
		} `json:"choices"`
	}
	if err := postJSON(context.Background(), v.Client, strings.TrimRight(v.URL, "/")+"/chat/completions", v.APIKey, body, &resp); err != nil || len(resp.Choices) == 0 {
		v.Err = err
		return nil
	}
	var boxes []struct {
		Label      string    `json:"label"`
		BBox       []float64 `json:"bbox_2d"`
		Confidence *float64  `json:"confidence"`
	}
	if err := json.Unmarshal([]byte(reJSON.FindString(resp.Choices[0].Message.Content)), &boxes); err != nil {
		v.Err = fmt.Errorf("the model's answer holds no JSON list of boxes")
		return nil
	}
	conf := v.DefaultConfidence
	if conf == 0 {
		conf = 0.6
	}
	var out []Candidate
	for _, b := range boxes {
		pi, ok := of[strings.ToLower(strings.TrimSpace(b.Label))]
		if !ok || len(b.BBox) != 4 {
			continue
		}
		c := conf
		if b.Confidence != nil {
			c = *b.Confidence
		}
		bx := Box{X: int(b.BBox[0]), Y: int(b.BBox[1]), W: int(b.BBox[2] - b.BBox[0]), H: int(b.BBox[3] - b.BBox[1])}
		out = append(out, Candidate{Phrase: pi, Label: pr.Phrases[pi].Noun, Confidence: c, Box: scale(bx, sx, sy), Grounded: true})
	}
	return out
}
