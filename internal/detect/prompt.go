// Package detect finds what a text prompt asks for in frames: it reads the
// prompt (intent, target phrases, colours and relations, categories through
// a shipped taxonomy), runs detector backends behind one interface, and
// turns their boxes into per-frame detections, tracks and presence.
package detect

import (
	_ "embed"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed taxonomy.yaml
var taxonomyYAML []byte

// Taxonomy maps a category word to the labels it covers.
var Taxonomy = func() map[string][]string {
	var t map[string][]string
	if err := yaml.Unmarshal(taxonomyYAML, &t); err != nil {
		panic("taxonomy.yaml: " + err.Error())
	}
	return t
}()

// Intent is what the prompt asks.
type Intent string

const (
	IntentDetect   Intent = "detect"   // boxes for every match
	IntentPresence Intent = "presence" // does it appear at all
	IntentSalient  Intent = "salient"  // the most visually important elements
)

// Phrase is one thing to look for.
type Phrase struct {
	Text      string   `json:"text"`                // as written, normalised
	Noun      string   `json:"noun"`                // head noun, singular
	Colour    string   `json:"colour,omitempty"`    // colour of the thing itself
	Relations []string `json:"relations,omitempty"` // e.g. "with red wheels"
	Labels    []string `json:"labels"`              // what counts as this phrase (a category expands)
	Category  string   `json:"category,omitempty"`  // the taxonomy entry the noun belongs to
}

// Prompt is a read prompt.
type Prompt struct {
	Intent  Intent   `json:"intent"`
	Phrases []Phrase `json:"phrases"`
}

// Colours the built-in detector can find.
var Colours = []string{"red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "magenta", "white", "black", "grey", "gray", "brown"}

var (
	rePresence = regexp.MustCompile(`\b(if|whether)\b.*\b(appear|appears|present|visible|shown|show up|shows up|there)\b|^(is|are) there\b|\bdoes\b.*\bappear\b|\bany\b.*\b(appear|present|visible)\b`)
	reSalient  = regexp.MustCompile(`\bmost (visually )?(important|salient|prominent|noticeable|eye-catching)\b|\bsalient\b|\bstands? out\b`)
	reLead     = regexp.MustCompile(`^(please )?(detect|find|locate|show|highlight|spot|look for|identify|track|mark|box|where (is|are)|is there|are there|does|do|check)( me)?\b`)
	reFiller   = regexp.MustCompile(`\b(if|whether|all|every|each|any|the|a|an|some|of|items?|objects?|in the (video|image|picture|photo|frame|frames|clip|footage)|in this (video|image|picture|photo|clip)|on screen|appears?|present|visible|shown|there|elements|please)\b`)
	reSpace    = regexp.MustCompile(`\s+`)
	reSplit    = regexp.MustCompile(`,|;| and | or `)
	reWord     = regexp.MustCompile(`^(the )?(word|text|sign|caption) ["']?([^"']+?)["']?$`)
)

func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3 && w != "bus":
		return w[:len(w)-1]
	}
	return w
}

// Read reads a prompt. It never fails: an empty reading has no phrases,
// which the caller reports.
func Read(prompt string) Prompt {
	p := strings.ToLower(strings.TrimSpace(prompt))
	p = strings.Trim(p, ".!?")
	out := Prompt{Intent: IntentDetect}
	switch {
	case reSalient.MatchString(p):
		out.Intent = IntentSalient
		return out
	case rePresence.MatchString(p):
		out.Intent = IntentPresence
	}
	// Quoted words are text to find on screen.
	p = reLead.ReplaceAllString(p, "")
	if m := reWord.FindStringSubmatch(strings.TrimSpace(p)); m != nil {
		out.Phrases = append(out.Phrases, Phrase{Text: m[0], Noun: "text", Labels: []string{strings.ToUpper(strings.TrimSpace(m[3]))}, Category: "text"})
		return out
	}
	parts := reSplit.Split(p, -1)
	// "with red wheels and a blue roof": a relation keeps its own "and".
	var merged []string
	for _, part := range parts {
		part = strings.TrimSpace(reSpace.ReplaceAllString(reFiller.ReplaceAllString(part, " "), " "))
		if part == "" {
			continue
		}
		if n := len(merged); n > 0 && strings.Contains(merged[n-1], " with ") && !containsNoun(part) {
			merged[n-1] += " and " + part
			continue
		}
		merged = append(merged, part)
	}
	for _, part := range merged {
		if ph, ok := readPhrase(part); ok {
			out.Phrases = append(out.Phrases, ph)
		}
	}
	return out
}

// containsNoun says whether part names a thing of the taxonomy on its own.
func containsNoun(part string) bool {
	f := strings.Fields(part)
	if len(f) == 0 {
		return false
	}
	_, _, ok := lookup(singular(f[len(f)-1]))
	return ok
}

func isColour(w string) bool {
	for _, c := range Colours {
		if w == c {
			return true
		}
	}
	return false
}

// lookup finds a word as a category or as a member of one.
func lookup(w string) (category string, labels []string, ok bool) {
	if ls, ok := Taxonomy[w]; ok {
		return w, ls, true
	}
	cats := make([]string, 0, len(Taxonomy))
	for c := range Taxonomy {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		for _, l := range Taxonomy[c] {
			if l == w {
				return c, []string{w}, true
			}
		}
	}
	return "", nil, false
}

var reMotion = regexp.MustCompile(`\b(moving|motion|movement|moves|move)\b`)

func readPhrase(part string) (Phrase, bool) {
	if reMotion.MatchString(part) {
		return Phrase{Text: part, Noun: "moving object", Labels: []string{"moving object"}, Category: "motion"}, true
	}
	head, rel, hasRel := strings.Cut(part, " with ")
	words := strings.Fields(head)
	if len(words) == 0 {
		return Phrase{}, false
	}
	ph := Phrase{Text: part}
	var nounWords []string
	for _, w := range words {
		if isColour(w) && ph.Colour == "" {
			ph.Colour = map[string]string{"gray": "grey", "magenta": "pink"}[w]
			if ph.Colour == "" {
				ph.Colour = w
			}
			continue
		}
		nounWords = append(nounWords, w)
	}
	if len(nounWords) == 0 {
		nounWords = []string{"region"} // "the red one", "anything blue"
	}
	ph.Noun = singular(nounWords[len(nounWords)-1])
	if two := strings.Join(nounWords, " "); len(nounWords) >= 2 {
		if cat, labels, ok := lookup(singular(two)); ok {
			ph.Noun, ph.Category, ph.Labels = singular(two), cat, labels
		}
	}
	if ph.Labels == nil {
		if cat, labels, ok := lookup(ph.Noun); ok {
			ph.Category, ph.Labels = cat, labels
		} else {
			ph.Labels = []string{ph.Noun}
		}
	}
	if hasRel {
		ph.Relations = append(ph.Relations, "with "+strings.TrimSpace(rel))
	}
	return ph, true
}
