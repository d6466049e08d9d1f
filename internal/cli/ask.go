package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/chart"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

func askCommand() *command {
	return &command{name: "ask", summary: "ask a question about a tenant's workforce data in plain language",
		usage: "--tenant <slug> --as <email> [--now YYYY-MM-DD] [--json] [--explain] [--chart out.svg] \"<question>\"",
		example: `scry ask --tenant acme-retail --as admin@acme-retail.example --now 2026-11-25 "Hours worked per week per position for the last 3 months"
scry ask --tenant acme-retail --as admin@acme-retail.example --json "Give me the gender parity"
scry ask --tenant acme-retail --as admin@acme-retail.example --explain --chart parity.svg "Give me the gender parity"`,
		flags: func(fs *flag.FlagSet, c *call) {
			tenantFlag(fs)
			fs.String("as", "", "email of the user whose permissions apply")
			fs.String("now", "", "reference date for relative time expressions (default: today)")
			fs.Bool("explain", false, "show the structured query, resolved dates, SQL, scope and engine")
			fs.String("chart", "", "write the chart to this file: .svg or .png")
			engineFlags(fs, c)
		},
		run: runAsk}
}

func engineFlags(fs *flag.FlagSet, c *call) {
	fs.String("engine", firstNonEmpty(c.env.Getenv("SCRY_ENGINE"), ask.ModeParser), "parser, llm, or parser+llm (the model when the parser does not understand) (env SCRY_ENGINE)")
	fs.String("llm-url", c.env.Getenv("SCRY_LLM_URL"), "base URL of an OpenAI-compatible chat-completions API, e.g. http://127.0.0.1:11434/v1 (env SCRY_LLM_URL; key in SCRY_LLM_API_KEY)")
	fs.String("llm-model", c.env.Getenv("SCRY_LLM_MODEL"), "model name at that endpoint (env SCRY_LLM_MODEL)")
}

// engine builds the ask engine from the engine flags.
func (c *call) engine(db *store.DB) (*ask.Engine, error) {
	mode := c.flag("engine")
	switch mode {
	case ask.ModeParser, ask.ModeLLM, ask.ModeParserThenLLM:
	default:
		return nil, errcode.New(errcode.Invalid, "--engine %q is not parser, llm or parser+llm", mode)
	}
	eng := &ask.Engine{DB: db, Model: semantic.BuiltinHR(), Mode: mode}
	if mode != ask.ModeParser {
		if c.flag("llm-url") == "" || c.flag("llm-model") == "" {
			return nil, errcode.New(errcode.Invalid, "--engine %s needs --llm-url and --llm-model (or SCRY_LLM_URL and SCRY_LLM_MODEL)", mode)
		}
		eng.LLM = &ask.LLM{URL: c.flag("llm-url"), Model: c.flag("llm-model"), APIKey: c.env.Getenv("SCRY_LLM_API_KEY")}
	}
	return eng, nil
}

func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return t, errcode.New(errcode.Invalid, "--now %q is not a date YYYY-MM-DD", s)
	}
	return t, nil
}

func runAsk(ctx context.Context, c *call) error {
	question := strings.TrimSpace(strings.Join(c.args, " "))
	now, err := parseNow(c.flag("now"))
	if err != nil {
		return err
	}
	db, t, err := c.tenant(ctx)
	if err != nil {
		return err
	}
	if c.flag("as") == "" {
		return errcode.New(errcode.Invalid, "scry ask needs --as <email>: the user whose permissions apply")
	}
	u, err := identity.UserByEmail(ctx, db, t.ID, c.flag("as"))
	if err != nil {
		return err
	}
	eng, err := c.engine(db)
	if err != nil {
		return err
	}
	log, err := c.audit()
	if err != nil {
		return err
	}
	eng.Audit = log
	ans, err := eng.Answer(ctx, ask.Asker{TenantID: t.ID, Tenant: t.Slug, User: u}, ask.Question{Text: question, Now: now})
	if err != nil {
		return err
	}
	// A one-shot process signs the head now: PublishSoon may not get to it.
	if err := log.Publish(ctx, db); err != nil {
		return fmt.Errorf("audit the question: %w", err)
	}
	explain := c.flag("explain") == "true"
	if !explain {
		defer func(e *ask.Explain) { ans.Explain = e }(ans.Explain)
		ans.Explain = nil
	}
	if path := c.flag("chart"); path != "" && ans.Error == nil {
		data := []byte(chart.SVG(ans))
		if strings.HasSuffix(strings.ToLower(path), ".png") {
			if data, err = chart.PNG(ans); err != nil {
				return err
			}
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return errcode.Wrap(errcode.Invalid, err, "Cannot write the chart to %s", path)
		}
	}
	if c.json {
		enc := json.NewEncoder(c.env.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(ans); err != nil {
			return err
		}
		return answerStatus(ans)
	}
	w := c.env.Stdout
	if ans.Error != nil {
		fmt.Fprintf(c.env.Stderr, "scry: %s (%s)\n", ans.Error.Message, ans.Error.Code)
		return answerStatus(ans)
	}
	printAnswer(w, ans, explain)
	return nil
}

// answerStatus is the exit status of an answer already printed: 0, 2 for a
// refusal, 1 for a timeout (errcode.ExitStatus).
func answerStatus(ans *ask.Answer) error {
	if ans.Error == nil {
		return nil
	}
	return silent{code: errcode.ExitStatus(errcode.New(ans.Error.Code, "%s", ans.Error.Message))}
}

// silent is an exit status whose message was already printed.
type silent struct{ code int }

func (s silent) Error() string { return "" }

func printAnswer(w io.Writer, ans *ask.Answer, explain bool) {
	if ans.Chart != nil {
		fmt.Fprintf(w, "%s\n\n", ans.Chart.Title)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, col := range ans.Columns {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, strings.ToUpper(col.Name))
	}
	fmt.Fprintln(tw)
	for _, r := range ans.Rows {
		for i, v := range r {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			switch x := v.(type) {
			case nil:
				v = "—"
			case float64:
				// 3934244.6, not Go's 3.9342446e+06
				v = strconv.FormatFloat(x, 'f', -1, 64)
			}
			fmt.Fprint(tw, v)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	for _, n := range ans.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
	if explain && ans.Explain != nil {
		q, _ := json.MarshalIndent(ans.Query, "  ", "  ")
		fmt.Fprintf(w, "\nHow I read this:\n  engine: %s\n  dates:  %s\n  scope:  %s\n  chart:  %s\n  query:  %s\n  sql:    %s\n  args:   %v\n",
			ans.Explain.Engine, ans.Explain.Range, ans.Explain.Scope, ans.Chart.Type, q, ans.Explain.SQL, ans.Explain.Args)
	}
}

func evalCommand() *command {
	return &command{name: "eval", summary: "run a golden-question file against the tenants it names and report accuracy",
		usage: "<questions.yaml> [--json] [-v]",
		example: `scry demo seed && scry eval questions/dev.yaml
scry eval --json my-questions.yaml > report.json`,
		flags: func(fs *flag.FlagSet, c *call) {
			fs.Bool("v", false, "print every case, not only failures")
			engineFlags(fs, c)
		},
		run: runEval}
}

func runEval(ctx context.Context, c *call) error {
	if err := c.need(1, "a question file in the format of questions/dev.yaml"); err != nil {
		return err
	}
	f, err := ask.LoadEvalFile(c.args[0])
	if err != nil {
		return err
	}
	now, err := parseNow(f.Now)
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	refs := map[string]*ask.Reference{}
	ids := map[string]int64{}
	for _, cs := range f.Cases {
		if refs[cs.Tenant] != nil {
			continue
		}
		t, err := tenant.Get(ctx, db, cs.Tenant)
		if err != nil {
			return err
		}
		ref, err := ask.LoadReference(ctx, db, t.ID)
		if err != nil {
			return err
		}
		defer ref.DB.Close()
		refs[cs.Tenant], ids[cs.Tenant] = ref, t.ID
	}
	eng, err := c.engine(db)
	if err != nil {
		return err
	}
	var results []ask.EvalResult
	passed := 0
	for _, cs := range f.Cases {
		who, err := ask.AskerFor(ids[cs.Tenant], cs.As)
		if err != nil {
			return errcode.New(errcode.Invalid, "case %s: as %q: use admin, hr, manager:<id> or employee:<id>", cs.ID, cs.As)
		}
		ans, askErr := eng.Ask(ctx, who, cs.Q, now)
		if askErr != nil {
			e := errcode.From(askErr)
			ans.Error = &ask.AskError{Code: e.Code, Message: e.Message}
		}
		ref := refs[cs.Tenant]
		forbidden := ask.Forbidden(refs, cs.Tenant, ref.Visible(cs.As, f.Now))
		res := ask.EvalResult{ID: cs.ID, Q: cs.Q}
		var whys []string
		for _, e := range cs.Expect {
			ok, why := ref.Check(e, ans, f.Now, forbidden)
			if ok {
				res.OK = true
				break
			}
			whys = append(whys, why)
		}
		if res.OK && len(cs.Chart) > 0 && (ans.Chart == nil || !contains(cs.Chart, string(ans.Chart.Type))) {
			res.OK = false
			whys = append(whys, fmt.Sprintf("chart %v, wanted one of %v", ans.Chart, cs.Chart))
		}
		if !res.OK {
			res.Why = strings.Join(whys, " | ")
		} else {
			passed++
		}
		results = append(results, res)
	}
	acc := float64(passed) / float64(len(results))
	return c.out(map[string]any{"accuracy": acc, "passed": passed, "cases": len(results), "results": results}, func(w io.Writer) {
		for _, r := range results {
			if !r.OK || c.flag("v") == "true" {
				verdict := "PASS"
				if !r.OK {
					verdict = "FAIL"
				}
				fmt.Fprintf(w, "%s %s: %s\n", verdict, r.ID, r.Q)
				if r.Why != "" {
					fmt.Fprintf(w, "     %s\n", r.Why)
				}
			}
		}
		fmt.Fprintf(w, "accuracy: %d/%d = %.1f%%\n", passed, len(results), 100*acc)
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func modelCommand() *command {
	return &command{name: "model", summary: "semantic models", subs: []*command{
		{name: "validate", summary: "check a semantic model file (the format of the built-in HR model)", usage: "<model.yaml>",
			example: "scry model validate my-dataset.yaml", run: runModelValidate},
		{name: "show", summary: "print the built-in HR model", example: "scry model show > hr.yaml", run: runModelShow},
	}}
}

func runModelValidate(ctx context.Context, c *call) error {
	if err := c.need(1, "a model file"); err != nil {
		return err
	}
	m, err := semantic.Load(c.args[0])
	if err != nil {
		return err
	}
	return c.out(map[string]any{"valid": true, "name": m.Name, "entities": len(m.Entities), "measures": len(m.Measures), "dimensions": len(m.Dimensions)},
		func(w io.Writer) {
			fmt.Fprintf(w, "%s: valid model %q with %d entities, %d measures, %d dimensions.\n", c.args[0], m.Name, len(m.Entities), len(m.Measures), len(m.Dimensions))
		})
}

func runModelShow(ctx context.Context, c *call) error {
	_, err := c.env.Stdout.Write(semantic.BuiltinYAML())
	return err
}
