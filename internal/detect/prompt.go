// Package detect finds what a text prompt asks for in frames: it reads the
// prompt (intent, target phrases, the attributes to check on what is found,
// categories through a shipped taxonomy), runs detector backends behind one
// interface, and turns their boxes into per-frame detections, tracks and
// presence that says what was examined.
package detect

import (
	_ "embed"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed taxonomy.yaml
var taxonomyYAML []byte

// taxonomy is taxonomy.yaml: category words, synonyms and the words scry
// knows it cannot check.
type taxonomy struct {
	Categories map[string][]string `yaml:"categories"`
	order      []string            // categories as the file lists them: the first that holds a word is its category
	Synonyms   map[string]string   `yaml:"synonyms"`
	Cannot     map[string]string   `yaml:"cannot"`
}

var tax = func() taxonomy {
	var t taxonomy
	var doc struct {
		Categories yaml.Node `yaml:"categories"`
	}
	if err := yaml.Unmarshal(taxonomyYAML, &t); err != nil {
		panic("taxonomy.yaml: " + err.Error())
	}
	if err := yaml.Unmarshal(taxonomyYAML, &doc); err != nil {
		panic("taxonomy.yaml: " + err.Error())
	}
	for i := 0; i+1 < len(doc.Categories.Content); i += 2 {
		t.order = append(t.order, doc.Categories.Content[i].Value)
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

// Attribute is something checked on a found box before it counts for its
// phrase: "the white car" (colour), "with red wheels" (the colour of a part,
// read from where that part sits in the box), "the large dog" (size), "the
// person on the left" (position).
type Attribute struct {
	Kind  string `json:"kind"` // colour | part | size | position
	Value string `json:"value"`
	Part  string `json:"part,omitempty"` // for kind part: wheels, roof, shirt…
}

// Phrase is one thing to look for.
type Phrase struct {
	Text       string      `json:"text"`                 // as written, normalised
	Noun       string      `json:"noun"`                 // head noun, singular
	Colour     string      `json:"colour,omitempty"`     // colour of the thing itself
	Relations  []string    `json:"relations,omitempty"`  // e.g. "with red wheels"
	Attributes []Attribute `json:"attributes,omitempty"` // checked on every box found
	// Labels are what counts as this phrase (a category expands); for
	// text, the words to find on screen (none: any text).
	Labels   []string `json:"labels"`
	Category string   `json:"category,omitempty"` // the taxonomy entry the noun belongs to
	// Unknown are words of the phrase scry cannot check; Cannot says why a
	// known word cannot be checked. Either makes the phrase unsupported.
	Unknown []string `json:"unknown,omitempty"`
	Cannot  string   `json:"cannot,omitempty"`
}

// Prompt is a read prompt.
type Prompt struct {
	Intent  Intent   `json:"intent"`
	Phrases []Phrase `json:"phrases"`
}

// Colours the built-in detector can find.
var Colours = []string{"red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "magenta", "white", "black", "grey", "gray", "brown", "silver"}

var (
	rePresence = regexp.MustCompile(`\b(if|whether)\b.*\b(appear|appears|present|visible|shown|show up|shows up|there)\b|^(is|are) there\b|\bdoes\b.*\bappear\b|\bany\b.*\b(appear|present|visible)\b`)
	reSalient  = regexp.MustCompile(`\bmost (visually )?(important|salient|prominent|noticeable|eye-catching)\b|\bsalient\b|\bstands? out\b`)
	reLead     = regexp.MustCompile(`^(please )?(detect|find|locate|show|highlight|spot|look for|identify|track|mark|box|read|where (is|are)|is there|are there|does|do|check|can you see|count)( me)?\b`)
	reFiller   = regexp.MustCompile(`\b(if|whether|all|every|each|any|the|a|an|some|of|items?|objects?|in the (video|image|picture|photo|frame|frames|clip|footage|scene)|in this (video|image|picture|photo|clip|scene)|on[- ]screen|appears?|appearing|present|visible|shown|there|elements|please|is|are)\b`)
	reSpace    = regexp.MustCompile(`\s+`)
	reSplit    = regexp.MustCompile(`,|;| and | or `)
	// A quoted string is text to find on screen, together with the noun
	// that introduces it ("the word", "the text saying").
	reQuoted = regexp.MustCompile(`(?i)(\b(the |a )?(words?|text|phrase|caption|sign|label|writing)( saying| reading| that (says|reads))?\s*)?("([^"]+)"|“([^”]+)”|‘([^’]+)’|(^|\s)'([^']+)')`)
	// "the word SALE", "the text OPEN": the introducing noun and the words.
	reTextWords = regexp.MustCompile(`^(words?|text|phrase|caption|writing)( saying| reading| that says| that reads)? (.+)$`)
	rePosition  = regexp.MustCompile(`\b(on|at|in|to) (?:the )?(left|right|top|bottom|middle|centre|center)( side| half| edge)?( of (frame|picture|image|screen))?\b`)
	reMotion    = regexp.MustCompile(`\b(moving|motion|movement|moves|move)\b`)
)

// textNouns name on-screen text itself ("Detect the text").
var textNouns = map[string]bool{"text": true, "texts": true, "word": true, "words": true, "writing": true, "caption": true, "captions": true, "title": true, "titles": true}

var sizeWords = map[string]string{"large": "large", "big": "large", "huge": "large", "biggest": "large", "largest": "large",
	"small": "small", "little": "small", "tiny": "small", "smallest": "small"}

// parts say where a part sits in its object's box, top to bottom as shares
// of the box height: the colour of "red wheels" is read there. Hats are not
// among them: at the top of a person a black hat and black hair are the
// same pixels, so "the person with a black hat" is left unsupported.
var parts = map[string][2]float64{
	"wheel": {0.6, 1}, "tyre": {0.6, 1}, "tire": {0.6, 1}, "rim": {0.6, 1},
	"roof": {0, 0.3}, "top": {0, 0.3},
	"shirt": {0.2, 0.55}, "t-shirt": {0.2, 0.55}, "jacket": {0.2, 0.55}, "coat": {0.2, 0.6}, "jersey": {0.2, 0.55}, "sweater": {0.2, 0.55}, "dress": {0.2, 0.75},
	"trousers": {0.5, 0.9}, "pants": {0.5, 0.9}, "jeans": {0.5, 0.9}, "shorts": {0.45, 0.7}, "skirt": {0.45, 0.75},
	"shoe": {0.88, 1}, "boot": {0.85, 1},
}

func singular(w string) string {
	if s, ok := map[string]string{"people": "people", "men": "man", "women": "woman", "children": "child", "mice": "mouse", "knives": "knife", "geese": "goose", "sheep": "sheep", "skis": "skis", "jeans": "jeans", "trousers": "trousers", "pants": "pants", "shorts": "shorts", "glasses": "glasses", "bus": "bus", "buses": "bus"}[w]; ok {
		return s
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}

// Read reads a prompt. It never fails: an empty reading has no phrases,
// which the caller reports; a phrase with words scry cannot check carries
// them (Unknown), so the caller reports it unsupported instead of
// answering a different question.
func Read(prompt string) Prompt {
	p := strings.TrimSpace(prompt)
	out := Prompt{Intent: IntentDetect}
	low := strings.ToLower(p)
	switch {
	case reSalient.MatchString(low):
		out.Intent = IntentSalient
		return out
	case rePresence.MatchString(low):
		out.Intent = IntentPresence
	}
	// Quoted text first, as written: its words are what to find on screen,
	// and no word inside the quotes is read as an object.
	p = reQuoted.ReplaceAllStringFunc(p, func(m string) string {
		sub := reQuoted.FindStringSubmatch(m)
		q := firstNonEmpty(sub[7], sub[8], sub[9], sub[11])
		out.Phrases = append(out.Phrases, textPhrase(strings.TrimSpace(sub[0]), q))
		return " , "
	})
	p = strings.ToLower(p)
	p = strings.Trim(strings.TrimSpace(p), ".!?")
	p = reLead.ReplaceAllString(p, "")
	// "with red wheels and a blue roof": a relation keeps its own "and".
	var merged []string
	for _, part := range reSplit.Split(p, -1) {
		part = strings.Trim(strings.TrimSpace(part), ".!?")
		pos := ""
		if m := rePosition.FindStringSubmatch(part); m != nil {
			pos = map[string]string{"center": "centre", "middle": "centre"}[m[2]]
			if pos == "" {
				pos = m[2]
			}
			part = strings.Replace(part, m[0], " ", 1)
		}
		part = strings.TrimSpace(reSpace.ReplaceAllString(reFiller.ReplaceAllString(part, " "), " "))
		if part == "" {
			continue
		}
		if pos != "" {
			part += " @" + pos
		}
		if n := len(merged); n > 0 && strings.Contains(merged[n-1], " with ") && !namesThing(part) {
			merged[n-1] += " and " + part
			continue
		}
		merged = append(merged, part)
	}
	for i, part := range merged {
		if i+1 < len(merged) && onlyModifiers(part) && namesThing(merged[i+1]) {
			// "the red or blue car", "red and white boxes": the colour
			// qualifies the next part's noun
			next, _, _ := cutRelation(strings.Split(merged[i+1], " @")[0])
			if f := strings.Fields(next); len(f) > 0 {
				part += " " + f[len(f)-1]
			}
		}
		if ph, ok := readPhrase(part); ok {
			out.Phrases = append(out.Phrases, ph)
		}
	}
	return out
}

// onlyModifiers says whether part is colours and sizes with no noun.
func onlyModifiers(part string) bool {
	f := strings.Fields(part)
	for _, w := range f {
		if colourWord(w) == "" && sizeWords[w] == "" {
			return false
		}
	}
	return len(f) > 0
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// textPhrase is a phrase for on-screen text: words to find (upper case, as
// OCR lines are compared), or any text when words is empty.
func textPhrase(text, words string) Phrase {
	ph := Phrase{Text: strings.ToLower(text), Noun: "text", Category: "text", Labels: []string{}}
	ph.Labels = append(ph.Labels, strings.FieldsFunc(strings.ToUpper(words), notWordRune)...)
	return ph
}

func notWordRune(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127) }

// namesThing says whether part names a thing on its own (its last word is
// a known noun), so it is a new phrase rather than the rest of a relation.
func namesThing(part string) bool {
	f := strings.Fields(strings.TrimSpace(strings.Split(part, "@")[0]))
	if len(f) == 0 {
		return false
	}
	_, _, ok := lookup(singular(f[len(f)-1]))
	return ok || textNouns[f[len(f)-1]]
}

func colourWord(w string) string {
	switch w {
	case "gray", "silver":
		return "grey"
	case "magenta":
		return "pink"
	}
	for _, c := range Colours {
		if w == c {
			return w
		}
	}
	return ""
}

// known says whether w names a thing ("orange" is a fruit as well as a
// colour: alone, it is the fruit).
func known(w string) bool {
	_, _, ok := lookup(w)
	return ok
}

// lookup finds a word (or two) as a category, a synonym or a member of a
// category, and the labels it covers.
func lookup(w string) (category string, labels []string, ok bool) {
	if s, ok := tax.Synonyms[w]; ok {
		w = s
	}
	if ls, ok := tax.Categories[w]; ok {
		return w, ls, true
	}
	for _, c := range tax.order {
		for _, l := range tax.Categories[c] {
			if l == w {
				return c, []string{w}, true
			}
		}
	}
	if _, ok := tax.Cannot[w]; ok {
		return "", []string{w}, true
	}
	if w == "face" {
		return "", []string{"face"}, true
	}
	return "", nil, false
}

// relations split a phrase into its thing and what is said of it; "with",
// "in" and "wearing" can say colours of parts, the others nothing scry can
// check.
var (
	reRelation = regexp.MustCompile(`\b(with|in|wearing|without|holding|carrying|riding|pulling|pushing|next to|near|behind|beside|under|below|above|inside|outside|on top of|that|which|who|not)\b`)
	wearing    = map[string]bool{"with": true, "in": true, "wearing": true}
)

// cutRelation cuts part at its first relation word.
func cutRelation(part string) (head, marker, rel string) {
	loc := reRelation.FindStringIndex(part)
	if loc == nil {
		return part, "", ""
	}
	return strings.TrimSpace(part[:loc[0]]), part[loc[0]:loc[1]], strings.TrimSpace(part[loc[1]:])
}

// nounWordsOf is the modifiers that were not read as attributes: the rest
// of an unknown thing's name.
func nounWordsOf(mods, unknown []string) []string {
	var out []string
	for _, m := range mods {
		for _, u := range unknown {
			if m == u {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// readPhrase reads one part of a prompt: "white car with red wheels @left".
func readPhrase(part string) (Phrase, bool) {
	part, pos, _ := strings.Cut(part, " @")
	if strings.HasPrefix(part, "@") {
		part, pos = "", part[1:]
	}
	if reMotion.MatchString(part) {
		return Phrase{Text: part, Noun: "moving object", Labels: []string{"moving object"}, Category: "motion"}, true
	}
	if m := reTextWords.FindStringSubmatch(part); m != nil {
		return textPhrase(part, m[3]), true
	}
	head, marker, rel := cutRelation(part)
	hasRel := marker != ""
	words := strings.Fields(head)
	if len(words) == 0 {
		return Phrase{}, false
	}
	ph := Phrase{Text: strings.TrimSpace(part)}
	if pos != "" {
		ph.Text += " on the " + pos
		ph.Attributes = append(ph.Attributes, Attribute{Kind: "position", Value: pos})
	}
	last := singular(words[len(words)-1])
	if textNouns[words[len(words)-1]] && len(words) == 1 {
		return textPhrase(part, ""), true
	}
	// The head noun is the last word, or the last two when they name one
	// thing ("traffic light", "qr code"); every word before it must be one
	// scry can check.
	mods := words[:len(words)-1]
	ph.Noun = last
	if len(words) >= 2 {
		two := words[len(words)-2] + " " + last
		if _, _, ok := lookup(two); ok {
			ph.Noun, mods = two, words[:len(words)-2]
		}
	}
	for _, w := range mods {
		switch {
		case colourWord(w) != "" && ph.Colour == "":
			ph.Colour = colourWord(w)
			ph.Attributes = append(ph.Attributes, Attribute{Kind: "colour", Value: ph.Colour})
		case sizeWords[w] != "":
			ph.Attributes = append(ph.Attributes, Attribute{Kind: "size", Value: sizeWords[w]})
		default:
			ph.Unknown = append(ph.Unknown, w)
		}
	}
	switch {
	case colourWord(last) != "" && len(words) == 1 && !known(last):
		// "anything blue", "red": a colour alone names a region.
		ph.Noun, ph.Colour = "region", colourWord(last)
		ph.Attributes = append(ph.Attributes, Attribute{Kind: "colour", Value: ph.Colour})
	case ph.Colour != "" && (last == "one" || last == "anything" || last == "something"):
		ph.Noun = "region" // "the red one"
	}
	if _, _, ok := lookup(ph.Noun); !ok && ph.Noun != "region" {
		// "licence plate": a thing scry has no word for, named whole
		// rather than as a plate with an unchecked "licence"
		ph.Noun = strings.Join(append(nounWordsOf(mods, ph.Unknown), ph.Noun), " ")
		ph.Unknown = nil
	}
	if cat, labels, ok := lookup(ph.Noun); ok {
		ph.Category, ph.Labels = cat, labels
		if s, ok := tax.Synonyms[ph.Noun]; ok {
			ph.Noun = s
		}
	} else {
		ph.Labels = []string{ph.Noun}
	}
	ph.Cannot = tax.Cannot[ph.Noun]
	if hasRel && !wearing[marker] {
		// "holding a bottle", "next to the truck", "that is not white":
		// relations scry cannot check
		ph.Relations = append(ph.Relations, marker+" "+rel)
		ph.Unknown = append(ph.Unknown, marker+" "+rel)
	} else if hasRel {
		rel = strings.TrimSpace(rel)
		ph.Relations = append(ph.Relations, marker+" "+rel)
		for _, r := range strings.Split(rel, " and ") {
			rw := strings.Fields(r)
			if len(rw) == 2 && colourWord(rw[0]) != "" {
				if _, ok := parts[singular(rw[1])]; ok {
					ph.Attributes = append(ph.Attributes, Attribute{Kind: "part", Value: colourWord(rw[0]), Part: singular(rw[1])})
					continue
				}
			}
			ph.Unknown = append(ph.Unknown, marker+" "+r)
		}
	}
	return ph, true
}
