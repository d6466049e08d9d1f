package ask

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/semantic"
)

// Engines a question can go to.
const (
	ModeParser        = "parser"     // the deterministic parser only (default)
	ModeLLM           = "llm"        // the language model only
	ModeParserThenLLM = "parser+llm" // the parser, and the model when the parser does not understand
)

// LLM asks an OpenAI-compatible chat-completions endpoint (Ollama, vLLM,
// llama.cpp's server, …) for a structured query under a JSON schema. The
// model sees the question and the semantic model — never the asker's
// permissions, never rows, never SQL — and whatever it answers goes through
// the same validator as the parser's queries.
type LLM struct {
	URL    string // base URL, e.g. http://127.0.0.1:11434/v1
	Model  string
	APIKey string // sent as a bearer token when set
	Client *http.Client
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model          string         `json:"model"`
	Messages       []chatMessage  `json:"messages"`
	Temperature    float64        `json:"temperature"`
	ResponseFormat map[string]any `json:"response_format"`
}

type chatResponse struct {
	Choices []struct {
		Message chatMessage `json:"message"`
	} `json:"choices"`
}

// QuerySchema is the JSON schema of a structured query, as given to models.
func QuerySchema(m *semantic.Model) map[string]any {
	var measures, dims []string
	for k := range m.Measures {
		measures = append(measures, k)
	}
	for k := range m.Dimensions {
		dims = append(dims, k)
	}
	sort.Strings(measures)
	sort.Strings(dims)
	attrs := semantic.SortedKeys(attributes)
	fields := append(append([]string{}, attrs...), "absence_type", "status", "weekday", "start_time", "end_time", "shift_hours", "shift_break")
	var ops []string // the comparisons Validate accepts
	for _, op := range semantic.SortedKeys(attrOps) {
		if op != "" {
			ops = append(ops, op)
		}
	}
	simple := map[string]any{"type": "object", "additionalProperties": false, "required": []string{"field"},
		"properties": map[string]any{
			"field":  map[string]any{"type": "string", "enum": fields},
			"values": map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "minItems": 1, "maxItems": 50},
			"negate": map[string]any{"type": "boolean"},
			"op":     map[string]any{"type": "string", "enum": ops},
		}}
	ref := map[string]any{"type": "object", "additionalProperties": false, "required": []string{"field"},
		"properties": map[string]any{
			"agg":     map[string]any{"type": "string", "enum": []string{"", "avg", "min", "max", "sum"}},
			"field":   map[string]any{"type": "string", "enum": attrs},
			"filters": map[string]any{"type": "array", "items": simple},
		}}
	filter := map[string]any{"type": "object", "additionalProperties": false, "required": []string{"field"},
		"properties": map[string]any{
			"field":  map[string]any{"type": "string", "enum": append(fields, "any")},
			"values": map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "minItems": 1, "maxItems": 50},
			"negate": map[string]any{"type": "boolean"},
			"op":     map[string]any{"type": "string", "enum": ops},
			"ref":    ref,
			"any":    map[string]any{"type": "array", "items": simple, "minItems": 2, "maxItems": 10},
		}}
	cond := map[string]any{"type": "object", "additionalProperties": false, "required": []string{"op", "value"},
		"properties": map[string]any{"op": map[string]any{"type": "string", "enum": []string{">", ">=", "<", "<=", "="}}, "value": map[string]any{"type": "number"}}}
	return map[string]any{
		"type": "object", "additionalProperties": false, "required": []string{"kind"},
		"properties": map[string]any{
			"kind":            map[string]any{"type": "string", "enum": []string{"number", "groups", "people", "shifts"}},
			"measure":         map[string]any{"type": "string", "enum": measures},
			"dimensions":      map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": append(dims, "trend")}, "maxItems": 3},
			"filters":         map[string]any{"type": "array", "items": filter},
			"time":            map[string]any{"type": "object", "additionalProperties": false, "required": []string{"expr"}, "properties": map[string]any{"expr": map[string]any{"type": "string"}}},
			"having":          cond,
			"share_of":        cond,
			"share_where":     map[string]any{"type": "array", "items": filter},
			"share":           map[string]any{"type": "boolean"},
			"share_within":    map[string]any{"type": "string", "enum": dims},
			"per_person_week": map[string]any{"type": "boolean"},
			"per_head":        map[string]any{"type": "boolean"},
			"per_person":      map[string]any{"type": "boolean"},
			"order":           map[string]any{"type": "string", "enum": []string{"asc", "desc"}},
			"limit":           map[string]any{"type": "integer", "minimum": 0, "maximum": MaxLimit},
			"relation":        map[string]any{"type": "string", "enum": []string{"", "department_managers", "managers"}},
			"self":            map[string]any{"type": "boolean"},
			"current":         map[string]any{"type": "boolean"},
			"aggs":            map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": []string{"avg", "min", "max", "sum", "median"}}, "maxItems": 4},
			"columns":         map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": attrs}},
			"sort": map[string]any{"type": "array", "items": map[string]any{"type": "object", "additionalProperties": false, "required": []string{"field"},
				"properties": map[string]any{"field": map[string]any{"type": "string", "enum": attrs}, "desc": map[string]any{"type": "boolean"}}}},
			"rank_within": map[string]any{"type": "string", "enum": dims},
			"count_of":    cond,
			"having_of":   map[string]any{"type": "string", "enum": []string{"", "headcount"}},
			"distinct":    map[string]any{"type": "string", "enum": dims},
			"chart":       map[string]any{"type": "string", "enum": []string{"number", "bar", "line", "pie", "heatmap", "table"}},
		},
	}
}

// systemPrompt describes the semantic model and the tenant's category
// values; it holds nothing about who asks.
func systemPrompt(m *semantic.Model, v Vocabulary) string {
	var b strings.Builder
	b.WriteString("You translate a question about workforce data into one JSON structured query that follows the given JSON schema. Answer with the JSON only.\n")
	b.WriteString("Measures:\n")
	for _, k := range semantic.SortedKeys(m.Measures) {
		ms := m.Measures[k]
		fmt.Fprintf(&b, "- %s: %s (%s)\n", k, ms.Title, strings.Join(ms.Synonyms, ", "))
	}
	b.WriteString("Dimensions (group by): ")
	b.WriteString(strings.Join(semantic.SortedKeys(m.Dimensions), ", "))
	b.WriteString(", trend (a time grain chosen from the period)\n")
	for _, f := range []string{"department", "position", "location"} {
		fmt.Fprintf(&b, "Known %s values: %s\n", f, strings.Join(v[f], "; "))
	}
	for _, f := range semantic.SortedKeys(m.Enums) {
		fmt.Fprintf(&b, "%s values: %s\n", f, strings.Join(semantic.SortedKeys(m.Enums[f]), ", "))
	}
	b.WriteString(`Time expressions ("time.expr"): today, yesterday, tomorrow, upcoming, this|last|next week|month|quarter|year, last N days|weeks|months|quarters|years (singular unit, e.g. "last 3 month"), month M (1-12, most recent), month YYYY-MM, year YYYY, quarter Q [YYYY|last year], half H [YYYY|last year], since YYYY-MM-DD, on YYYY-MM-DD, on MM-DD (the nearest), this|last|next saturday (any weekday), this|last|next weekend, week of MM-DD, end of <expression>, start of <expression>, from <expression> to <expression>, between YYYY-MM-DD and YYYY-MM-DD.` + "\n")
	b.WriteString(`kind "people" lists employees; "groups" needs dimensions; "number" is one value. "self": true when the asker says I/me/my own.` + "\n")
	return b.String()
}

// Query asks the model for the structured query of question.
func (l *LLM) Query(ctx context.Context, question string, m *semantic.Model, v Vocabulary) (*Query, error) {
	client := l.Client
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	body, _ := json.Marshal(chatRequest{
		Model:       l.Model,
		Temperature: 0,
		Messages:    []chatMessage{{Role: "system", Content: systemPrompt(m, v)}, {Role: "user", Content: question}},
		ResponseFormat: map[string]any{"type": "json_schema", "json_schema": map[string]any{
			"name": "structured_query", "strict": true, "schema": QuerySchema(m)}},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(l.URL, "/")+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return nil, errcode.Wrap(errcode.Invalid, err, "The language-model URL %q is not valid", l.URL)
	}
	req.Header.Set("Content-Type", "application/json")
	if l.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+l.APIKey)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, errcode.Wrap(errcode.Unavailable, err, "The language model at %s did not answer", l.URL)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, errcode.Wrap(errcode.Unavailable, fmt.Errorf("status %d: %.200s", resp.StatusCode, raw), "The language model at %s answered with an error", l.URL)
	}
	var cr chatResponse
	if err := json.Unmarshal(raw, &cr); err != nil || len(cr.Choices) == 0 {
		return nil, errcode.Wrap(errcode.Unavailable, err, "The language model's answer is not a chat completion")
	}
	content := strings.TrimSpace(cr.Choices[0].Message.Content)
	content = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(content, "```json"), "```"), "```")
	dec := json.NewDecoder(strings.NewReader(content))
	dec.DisallowUnknownFields() // anything beyond the schema (say, "sql") is refused
	var q Query
	if err := dec.Decode(&q); err != nil {
		return nil, errcode.Wrap(errcode.NotUnderstood, err, "The language model did not produce a valid structured query; rephrase the question")
	}
	if q.Time != nil {
		q.Time = &TimeRange{Expr: strings.ToLower(strings.TrimSpace(q.Time.Expr))} // dates are resolved by scry, never taken from the model
	}
	return &q, nil
}
