package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/errcode"
)

func detectCommand() *command {
	return &command{name: "detect", summary: "find what a prompt asks for in a video or image: shots, chapters, boxes, presence",
		usage: "FILE --prompt \"...\" [--json] [--fps 2] [--min-confidence 0.5] [--exemplar IMAGE] [--annotate OUT.mp4|OUT.png]",
		example: `scry detect clip.mp4 --prompt "Detect the red box" --json
scry detect photo.jpg --prompt "Detect if apples appear" --annotate boxes.png
scry detect clip.mp4 --prompt "Find the most visually important elements" --fps 1
scry detect shelf.jpg --prompt "Detect our logo" --exemplar logo.png`,
		flags: func(fs *flag.FlagSet, c *call) {
			fs.String("prompt", "", "what to look for, in plain words")
			fs.Float64("fps", 2, "frames analysed per second of video")
			fs.Float64("min-confidence", 0.5, "drop detections below this confidence (0–1)")
			fs.String("annotate", "", "write the file with boxes and labels drawn (.png for one frame, else .mp4)")
			fs.String("blueprint", "", "a YAML file of named fields (prompt, granularity video|chapter|frame, type boolean|count|entities) answered next to the standard output")
			fs.String("exemplar", "", "a reference image of what the prompt names (found by multi-scale normalised cross-correlation)")
			fs.String("detector", firstNonEmpty(c.env.Getenv("SCRY_DETECTOR"), string(detect.BackendBuiltin)), detect.BackendWords()+": builtin alone, or also a model server (grounding-dino and yolo-world speak the Roboflow Inference protocol, vision an OpenAI-compatible vision chat) (env SCRY_DETECTOR)")
			fs.String("model-url", c.env.Getenv("SCRY_DETECT_URL"), "the model server, e.g. http://127.0.0.1:9001 or http://127.0.0.1:8000/v1 (env SCRY_DETECT_URL; key in SCRY_DETECT_API_KEY)")
			fs.String("model", c.env.Getenv("SCRY_DETECT_MODEL"), "the model name for --detector vision (env SCRY_DETECT_MODEL)")
		},
		run: runDetect}
}

func runDetect(ctx context.Context, c *call) error {
	if err := c.need(1, "a video or image file"); err != nil {
		return err
	}
	var bp *detect.Blueprint
	if path := c.flag("blueprint"); path != "" {
		var err error
		if bp, err = detect.LoadBlueprint(path); err != nil {
			return err
		}
	}
	prompt := c.flag("prompt")
	if prompt == "" && bp == nil {
		return errcode.New(errcode.Invalid, "scry detect needs --prompt (e.g. --prompt \"Detect the red box\") or --blueprint")
	}
	fps, _ := strconv.ParseFloat(c.flag("fps"), 64)
	minConf, _ := strconv.ParseFloat(c.flag("min-confidence"), 64)
	if fps <= 0 || fps > 60 || minConf < 0 || minConf > 1 {
		return errcode.New(errcode.Invalid, "--fps must be in (0, 60] and --min-confidence in [0, 1]")
	}
	setup := detect.Setup{Detector: detect.Backend(c.flag("detector")), ModelURL: c.flag("model-url"), Model: c.flag("model"),
		APIKey: c.env.Getenv("SCRY_DETECT_API_KEY"), Exemplar: c.flag("exemplar")}
	opts := detect.Options{FPS: fps, MinConfidence: minConf, OCR: &detect.OCR{}}
	res, err := detect.Run(ctx, c.args[0], prompt, bp, opts, setup)
	if err != nil {
		return err
	}
	if out := c.flag("annotate"); out != "" {
		if err := detect.Annotate(ctx, c.args[0], out, res, fps); err != nil {
			return err
		}
	}
	return c.out(res, func(w io.Writer) {
		m := res.Metadata
		fmt.Fprintf(w, "%s: %d×%d, %.2f fps, %.1f s, %d frames; %d shots, %d chapters; %d frames analysed\n", c.args[0], m.Width, m.Height, m.FrameRate,
			float64(m.DurationMillis)/1000, m.FrameCount, len(res.Shots), len(res.Chapters), len(res.Frames))
		printPresence(w, res)
		for _, tx := range res.Texts {
			fmt.Fprintf(w, "  text %q frames %d–%d (confidence %.2f)\n", tx.Text, tx.FirstFrame, tx.LastFrame, tx.Confidence)
		}
		n := 0
		for _, fr := range res.Frames {
			n += len(fr.Detections)
		}
		fmt.Fprintf(w, "  %d detections in all (--json lists them per frame)\n", n)
		if res.Blueprint != nil {
			for name, vals := range res.Blueprint.Fields {
				fmt.Fprintf(w, "  blueprint %s: %d value(s), first %v\n", name, len(vals), vals[0].Value)
			}
		}
	})
}

// printPresence writes what an analysis says of each phrase: present or
// not, and when not, whether every shot was examined for it.
func printPresence(w io.Writer, res *detect.Result) {
	for _, p := range res.Presence {
		fmt.Fprintf(w, "  %-30s present=%v max_confidence=%.2f in %d frames", p.Phrase, p.Present, p.MaxConfidence, len(p.Frames))
		if p.Examined == "partial" {
			fmt.Fprintf(w, " (examined partly: %s)", p.Reason)
		}
		if !p.Present && p.BelowThreshold > 0 {
			fmt.Fprintf(w, " (a weaker candidate scored %.2f, below --min-confidence)", p.BelowThreshold)
		}
		fmt.Fprintln(w)
	}
	for _, u := range res.Unsupported {
		fmt.Fprintf(w, "  %-30s unsupported: %s\n", u.Phrase, u.Reason)
	}
}
