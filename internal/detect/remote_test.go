package detect_test

import (
	"context"
	"encoding/json"
	"github.com/scry-dev/scry/internal/media/mediatest"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/detect"
)

func still(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "photo.png")
	mediatest.FFmpeg(t, "-f", "lavfi", "-i", "color=c=white:s=640x360", "-frames:v", "1", p)
	return p
}

// TestRoboflowBackend: an in-process server speaking the Roboflow Inference
// protocol; its centre-based boxes in sent-image pixels become top-left
// boxes in original pixels.
func TestRoboflowBackend(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/grounding_dino/infer" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		json.NewDecoder(r.Body).Decode(&got)
		// model servers get the detail frame, here the photo's own 640×360:
		// an apple centred at (100, 50), 40×30
		json.NewEncoder(w).Encode(map[string]any{"predictions": []map[string]any{
			{"x": 100, "y": 50, "width": 40, "height": 30, "confidence": 0.83, "class": "apple"},
			{"x": 10, "y": 10, "width": 4, "height": 4, "confidence": 0.9, "class": "not asked"},
		}})
	}))
	defer srv.Close()
	rf := &detect.Roboflow{URL: srv.URL, Model: "grounding_dino"}
	res, err := detect.Analyze(context.Background(), still(t), "Detect if apples appear in the image", detect.Options{}, []detect.Detector{&detect.Builtin{}, rf})
	if err != nil || rf.Err != nil {
		t.Fatal(err, rf.Err)
	}
	if text, _ := got["text"].([]any); len(text) != 1 || text[0] != "apple" || got["image"].(map[string]any)["type"] != "base64" {
		t.Fatalf("request: %v", got["text"])
	}
	ds := res.Frames[0].Detections
	if len(ds) != 1 || ds[0].Box != (detect.Box{X: 80, Y: 35, W: 40, H: 30}) || ds[0].Confidence != 0.83 {
		t.Fatalf("detections %+v", ds)
	}
	if len(res.Unsupported) != 0 || !res.Presence[0].Present || res.Presence[0].MaxConfidence != 0.83 {
		t.Fatalf("presence %+v unsupported %+v", res.Presence, res.Unsupported)
	}
}

// TestVisionChatBackend: an in-process OpenAI-compatible vision endpoint
// answering with bbox_2d in the sent image's pixels inside prose; it is
// asked for the phrase whole, attributes and all.
func TestVisionChatBackend(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		json.NewDecoder(r.Body).Decode(&req)
		content := req["messages"].([]any)[0].(map[string]any)["content"].([]any)
		if r.URL.Path != "/v1/chat/completions" || !strings.HasPrefix(content[1].(map[string]any)["image_url"].(map[string]any)["url"].(string), "data:image/png;base64,") {
			http.Error(w, "bad request", 400)
			return
		}
		answer := "Here you go:\n```json\n[{\"label\": \"white car with red wheels\", \"bbox_2d\": [20, 40, 120, 90]}]\n```"
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": answer}}}})
	}))
	defer srv.Close()
	vc := &detect.VisionChat{URL: srv.URL + "/v1", Model: "qwen2.5-vl"}
	res, err := detect.Analyze(context.Background(), still(t), "Detect the white car with red wheels", detect.Options{}, []detect.Detector{vc})
	if err != nil || vc.Err != nil {
		t.Fatal(err, vc.Err)
	}
	ds := res.Frames[0].Detections
	if len(ds) != 1 || ds[0].Box != (detect.Box{X: 20, Y: 40, W: 100, H: 50}) || ds[0].Confidence != 0.6 || ds[0].Label != "car" {
		t.Fatalf("detections %+v", ds)
	}
}
