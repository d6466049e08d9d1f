package detect

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scry-dev/scry/internal/errcode"
)

// Blueprint is a YAML file of named fields, each answered from the video
// by a prompt: at a granularity (video, chapter, frame) and of a type
// (boolean, count, entities).
type Blueprint struct {
	Name   string           `yaml:"name" json:"name"`
	Fields []BlueprintField `yaml:"fields" json:"fields"`
}

// BlueprintField is one named question.
type BlueprintField struct {
	Name        string `yaml:"name" json:"name"`
	Prompt      string `yaml:"prompt" json:"prompt"`
	Granularity string `yaml:"granularity" json:"granularity"`
	Type        string `yaml:"type" json:"type"`
}

// LoadBlueprint reads and checks a blueprint file strictly.
func LoadBlueprint(path string) (*Blueprint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "Cannot read the blueprint %s", path)
	}
	return ParseBlueprint(b, path)
}

// ParseBlueprint checks a blueprint's YAML strictly; path names it in errors.
func ParseBlueprint(b []byte, path string) (*Blueprint, error) {
	var bp Blueprint
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&bp); err != nil {
		return nil, errcode.New(errcode.Invalid, "%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(bp.Fields) == 0 {
		return nil, errcode.New(errcode.Invalid, "%s: fields: a blueprint needs at least one field", path)
	}
	seen := map[string]bool{}
	for i, f := range bp.Fields {
		where := fmt.Sprintf("%s: fields[%d]", path, i)
		switch {
		case f.Name == "" || seen[f.Name]:
			return nil, errcode.New(errcode.Invalid, "%s.name: %q is empty or used twice", where, f.Name)
		case f.Prompt == "":
			return nil, errcode.New(errcode.Invalid, "%s.prompt: a prompt is required", where)
		case f.Granularity != "video" && f.Granularity != "chapter" && f.Granularity != "frame":
			return nil, errcode.New(errcode.Invalid, "%s.granularity: %q is not video, chapter or frame", where, f.Granularity)
		case f.Type != "boolean" && f.Type != "count" && f.Type != "entities":
			return nil, errcode.New(errcode.Invalid, "%s.type: %q is not boolean, count or entities", where, f.Type)
		}
		seen[f.Name] = true
	}
	return &bp, nil
}

// FieldValue is a field's answer over one span.
type FieldValue struct {
	StartFrame int `json:"start_frame"`
	EndFrame   int `json:"end_frame"`
	Value      any `json:"value"`
}

// BlueprintResult is the custom document, next to the standard one.
type BlueprintResult struct {
	Blueprint string                  `json:"blueprint"`
	Fields    map[string][]FieldValue `json:"fields"`
}

// RunBlueprint answers every field, each from its own analysis.
func RunBlueprint(ctx context.Context, path string, bp *Blueprint, opt Options, detectors []Detector) (*BlueprintResult, error) {
	out := &BlueprintResult{Blueprint: bp.Name, Fields: map[string][]FieldValue{}}
	for _, f := range bp.Fields {
		res, err := Analyze(ctx, path, f.Prompt, opt, detectors)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		var spans [][2]int
		switch f.Granularity {
		case "video":
			spans = [][2]int{{0, max(res.Metadata.FrameCount-1, 0)}}
		case "chapter":
			for _, c := range res.Chapters {
				spans = append(spans, [2]int{c.StartFrame, c.EndFrame})
			}
		case "frame":
			for _, fr := range res.Frames {
				spans = append(spans, [2]int{fr.FrameIndex, fr.FrameIndex})
			}
		}
		for _, sp := range spans {
			out.Fields[f.Name] = append(out.Fields[f.Name], FieldValue{StartFrame: sp[0], EndFrame: sp[1], Value: value(f.Type, res, sp)})
		}
	}
	return out, nil
}

// value reduces the detections of a span: any at all; how many distinct
// tracks (objects, not boxes); which labels and texts.
func value(typ string, res *Result, sp [2]int) any {
	tracks := map[int]bool{}
	entities := map[string]bool{}
	for _, fr := range res.Frames {
		if fr.FrameIndex < sp[0] || fr.FrameIndex > sp[1] {
			continue
		}
		for _, d := range fr.Detections {
			tracks[d.TrackID] = true
			name := d.Label
			if d.Text != "" {
				name = d.Text
			}
			entities[name] = true
		}
	}
	switch typ {
	case "boolean":
		return len(tracks) > 0
	case "count":
		return len(tracks)
	}
	list := make([]string, 0, len(entities))
	for e := range entities {
		list = append(list, e)
	}
	sort.Strings(list)
	return list
}
