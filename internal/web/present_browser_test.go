package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/scry-dev/scry/internal/demo"
	"github.com/scry-dev/scry/internal/store"
)

// TestBrowserAnswersInWords: answers read as words and numbers for people,
// at 1366 px and 375 px — a two-dimension answer is a pivot whose columns
// sort, its chart sums what does not fit as "Other" with a note and marks
// the weeks the range cuts as partial, every point has a tooltip; a
// one-row answer is a sentence; a refusal has a headline; a heatmap names
// every weekday and hour; reloading an answer adds no history; a manager
// is offered only questions they may ask and sees their scope by name;
// 403 and 404 are pages of the app with a way back. shot() checks every
// page for snake_case.
func TestBrowserAnswersInWords(t *testing.T) {
	ctx := browser(t)
	site := newAskSite(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...step) { t.Helper(); browserRun(t, ctx, steps...) }
	wide, phone := chromedp.EmulateViewport(1366, 900), chromedp.EmulateViewport(375, 800)
	// questions are asked on 25 Nov 2026, the demo data's last day
	run(wide, appSignIn(site.ts.URL, "admin@acme-retail.example"),
		chromedp.Navigate(site.ts.URL+"/ask?now=2026-11-25"), chromedp.WaitVisible(css("#q")),
		asked("Give me the worked hours per week per position for the last 3 months"), shot("words-01-pivot-1366"))

	heads := eval[[]string](t, ctx, `[...document.querySelectorAll("#answer thead th")].map(th => th.textContent)`)
	rows := eval[int](t, ctx, `document.querySelectorAll("#answer tbody tr").length`)
	notes := eval[string](t, ctx, `[...document.querySelectorAll("#answer .note")].map(n => n.textContent).join(" ")`)
	if len(heads) < 10 || heads[0] != "Week of" || !strings.Contains(strings.Join(heads, "|"), "Sales Associate") || heads[len(heads)-1] != "Total" {
		t.Errorf("pivot head: %q", heads)
	}
	if rows < 12 || rows > 15 || strings.Contains(notes, "The first 100") {
		t.Errorf("pivot: %d rows (a row a week), notes %q", rows, notes)
	}
	if first := eval[string](t, ctx, `document.querySelector("#answer tbody tr td").textContent`); first != "3 Aug 2026" && !strings.Contains(first, "partial") {
		t.Errorf("first week: %q", first)
	}
	if !strings.Contains(notes, "summed as “Other”") || !strings.Contains(notes, "only partly inside the dates asked about") {
		t.Errorf("chart notes: %q", notes)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll("#answer svg text")].filter(e => e.textContent === "Other").length`); n == 0 {
		t.Error("no Other series in the chart")
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#answer .svg-wide svg .tip title").length`); n < 50 {
		t.Errorf("%d tooltips", n)
	}
	if n := eval[string](t, ctx, `document.querySelector("#answer tbody td.num").textContent`); !strings.HasSuffix(n, " h") {
		t.Errorf("hours are not formatted: %q", n)
	}
	// Sorting by a column (largest first on a second press).
	run(chromedp.Click(css(`#answer thead th:nth-child(2) button`)), chromedp.Click(css(`#answer thead th:nth-child(2) button`)),
		waitFor(`document.querySelector("#answer thead th:nth-child(2)").getAttribute("aria-sort") === "descending"`))
	sorted := eval[[]string](t, ctx, `[...document.querySelectorAll("#answer tbody tr td:nth-child(2)")].map(td => td.dataset.sort)`)
	for i := 1; i < len(sorted); i++ {
		if sorted[i-1] < sorted[i] {
			t.Fatalf("not sorted descending: %q", sorted)
		}
	}
	// How I read this: sentences with real dates.
	explain := eval[string](t, ctx, `document.querySelector(".explain").textContent`)
	if !strings.Contains(explain, "the last 3 months: 1 Aug – 31 Oct 2026") || !strings.Contains(explain, "week and position") {
		t.Errorf("how I read this: %q", explain)
	}
	// Reloading the answer shows it again and adds no history entry.
	history := `document.querySelectorAll(".history li").length`
	before := eval[int](t, ctx, history)
	run(chromedp.Reload(), waitFor(`!!document.querySelector("#answer table")`))
	if after := eval[int](t, ctx, history); after != before {
		t.Errorf("a reload added history: %d entries, then %d", before, after)
	}
	run(phone, asked("Give me the worked hours per week per position for the last 3 months"), shot("words-02-pivot-375"))
	if y := eval[float64](t, ctx, `document.getElementById("answer").getBoundingClientRect().top`); y > 100 || y < -100 {
		t.Errorf("on a phone the answer is not in view (top at %v px)", y)
	}
	if w := eval[float64](t, ctx, `document.querySelector("#answer .svg-narrow svg").getBoundingClientRect().width`); w < 300 {
		t.Errorf("the phone chart is %v px wide", w)
	}

	// A time series can be drawn as bars too.
	run(wide, asked("Hours worked per week over the last 3 months"),
		chromedp.Click(css(`label[for=kind-bar]`)), waitFor(`!document.querySelector('.chart .view[data-kind=bar]').hidden`), shot("words-03-switched-to-bars-1366"))
	if hidden := eval[bool](t, ctx, `document.querySelector('.chart .view[data-kind=line]').hidden`); !hidden {
		t.Error("the line chart is still shown after choosing bars")
	}

	// A chart named in the question is the one shown first, with the others
	// that suit still offered.
	run(asked("Headcount by contract type as a pie chart"), waitFor(`!!document.querySelector('.chart .view[data-kind=pie]')`), shot("words-03b-asked-pie-1366"))
	if hidden := eval[bool](t, ctx, `document.querySelector('.chart .view[data-kind=pie]').hidden || !document.querySelector('.chart .view[data-kind=bar]')`); hidden {
		t.Error("the pie asked for is not shown first, or bars are not offered beside it")
	}

	// One row is a sentence; a refusal has a headline; a heatmap names every day and hour.
	// (September: in October two people tie at the top, and both are listed)
	run(asked("Who worked the most hours in September"), shot("words-04-one-row-1366"), phone, shot("words-04-one-row-375"), wide)
	if s := eval[string](t, ctx, `(document.querySelector("#answer .sentence") || {}).textContent || ""`); !strings.Contains(s, " h") || eval[int](t, ctx, `document.querySelectorAll("#answer table, #answer svg").length`) != 0 {
		t.Errorf("one-row answer: sentence %q", s)
	}
	run(asked("Rank employees by race"), shot("words-05-refused-1366"))
	if h := eval[string](t, ctx, `document.querySelector("#answer .error h2").textContent`); h != "That is a topic I don't answer questions about" {
		t.Errorf("refusal headline: %q", h)
	}
	run(asked("Number of shifts by weekday and start hour"), shot("words-06-heatmap-1366"), phone, shot("words-06-heatmap-375"), wide)
	labels := eval[string](t, ctx, `[...document.querySelectorAll("#answer .svg-wide svg text")].map(e => e.textContent).join(",")`)
	for _, want := range []string{"Mon", "Sun", "00", "12", "23"} {
		if !strings.Contains(","+labels+",", ","+want+",") {
			t.Errorf("heatmap lacks %s: %s", want, labels)
		}
	}

	// Two periods' totals side by side, the people whose first is larger.
	run(asked("Which cashiers worked more hours in October than in September?"), waitFor(`!!document.querySelector("#answer table")`), shot("words-06b-rise-1366"))
	riseHeads := eval[[]string](t, ctx, `[...document.querySelectorAll("#answer thead th")].map(th => th.textContent)`)
	if explain := eval[string](t, ctx, `document.querySelector(".explain").textContent`); len(riseHeads) != 4 || !strings.Contains(explain, "above their total in the second") {
		t.Errorf("rise: heads %q, how I read this %q", riseHeads, explain)
	}

	// Two measures side by side: a column each.
	run(asked("Headcount and average hourly wage per location"), waitFor(`!!document.querySelector("#answer table")`), shot("words-06c-beside-1366"))
	besideHeads := eval[[]string](t, ctx, `[...document.querySelectorAll("#answer thead th")].map(th => th.textContent)`)
	if explain := eval[string](t, ctx, `document.querySelector(".explain").textContent`); len(besideHeads) != 3 || !strings.Contains(explain, "beside it") {
		t.Errorf("beside: heads %q, how I read this %q", besideHeads, explain)
	}

	// An unknown address is a page of the app with a way back.
	run(chromedp.Navigate(site.ts.URL+"/no/such/page"), waitFor(`!!document.querySelector(".status-page")`), shot("words-07-404-1366"), phone, shot("words-07-404-375"), wide)
	if link := eval[string](t, ctx, `document.querySelector(".status-page a.primary").getAttribute("href")`); link != "/ask" || !eval[bool](t, ctx, `!!document.querySelector("header nav")`) {
		t.Errorf("404 page: link %q", link)
	}

	// A manager: suggestions they may ask, their scope by name, a 403 page.
	run(chromedp.Click(css(".signout button")), chromedp.WaitVisible(css("#tenant")), appSignIn(site.ts.URL, "nora.david@acme-retail.example"),
		chromedp.Navigate(site.ts.URL+"/ask?now=2026-11-25"), chromedp.WaitVisible(css("#q")), shot("words-08-manager-1366"))
	chips := eval[[]string](t, ctx, `[...document.querySelectorAll(".suggestions .chip")].map(b => b.textContent)`)
	all := strings.Join(chips, " | ")
	if strings.Contains(all, "wage") || strings.Contains(all, " in ") || !strings.Contains(all, "my team") || len(chips) < 4 {
		t.Errorf("manager's suggestions: %s", all)
	}
	run(asked("How many hours did my team work over the past 7 weeks?"), shot("words-09-manager-team-1366"))
	if scope := eval[string](t, ctx, `document.querySelector(".explain").textContent`); !strings.Contains(scope, "(E0105) and everyone below them in the reporting tree") {
		t.Errorf("manager's scope: %q", scope)
	}
	run(chromedp.Navigate(site.ts.URL+"/admin/users"), waitFor(`!!document.querySelector(".status-page")`), shot("words-10-403-1366"), phone, shot("words-10-403-375"))
	if text := eval[string](t, ctx, `document.querySelector(".status-page").textContent`); !strings.Contains(text, "may not open") || !strings.Contains(text, "Go to Ask") {
		t.Errorf("403 page: %q", text)
	}
}

// TestBrowserImportPage: the import page lists each file's columns with a
// template to download; "Check only" on broken files lists the problems
// and changes nothing; on good files it says what an import would store;
// an import then shows as the last import, with who and how many rows.
func TestBrowserImportPage(t *testing.T) {
	ctx := browser(t)
	site := newAskSite(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...step) { t.Helper(); browserRun(t, ctx, steps...) }
	good, _ := demo.Extract("acme-retail", t.TempDir())
	bad := t.TempDir()
	for _, f := range []string{"employees.csv", "shifts.csv", "absences.csv"} {
		b, _ := os.ReadFile(filepath.Join(good, f))
		if f == "employees.csv" {
			b = []byte(strings.Replace(string(b), ",female,", ",femme,", 1))
		}
		os.WriteFile(filepath.Join(bad, f), b, 0o644)
	}
	upload := func(dir string) step {
		return chromedp.Steps(chromedp.SetUploadFiles(css("#employees"), []string{filepath.Join(dir, "employees.csv")}),
			chromedp.SetUploadFiles(css("#shifts"), []string{filepath.Join(dir, "shifts.csv")}),
			chromedp.SetUploadFiles(css("#absences"), []string{filepath.Join(dir, "absences.csv")}))
	}
	employees := func() (n int) {
		site.db.ReadTenant(context.Background(), site.tn.ID, func(tx *store.Tx) error {
			return tx.QueryRowContext(context.Background(), `select count(*) from employees where tenant_id = $1`, site.tn.ID).Scan(&n)
		})
		return n
	}
	had := employees()
	run(chromedp.EmulateViewport(1366, 900), appSignIn(site.ts.URL, "admin@acme-retail.example"),
		chromedp.Navigate(site.ts.URL+"/admin/import"), chromedp.WaitVisible(css("#importform")), shot("import-1-page-1366"),
		chromedp.EmulateViewport(375, 800), shot("import-1-page-375"), chromedp.EmulateViewport(1366, 900))
	if n := eval[int](t, ctx, `document.querySelectorAll(".layouts details").length`); n != 3 {
		t.Errorf("%d files described", n)
	}
	tmpl, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/admin/import/template/shifts.csv").then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if tmpl != "shift_id,employee_id,date,start_time,end_time,break_minutes,hours,position,location,status\n" {
		t.Errorf("shifts template: %q", tmpl)
	}
	if last := eval[string](t, ctx, `document.getElementById("lastimport").textContent`); !strings.Contains(last, "No HR data has been imported yet") {
		t.Errorf("before any import through scry: %q", last)
	}
	// Check only, broken files: every problem listed, nothing changed.
	run(upload(bad), chromedp.Click(css("#dryrun")), waitFor(`!!document.querySelector(".error")`), shot("import-2-dry-run-problems-1366"))
	if e := eval[string](t, ctx, `document.querySelector(".error").textContent`); !strings.Contains(e, "Checked, nothing changed") || !strings.Contains(e, `gender = "femme"`) || employees() != had {
		t.Errorf("dry run of broken files: %q; %d employees, had %d", e, employees(), had)
	}
	// 80 problems: every one listed, the first 50 at once, the rest behind
	// "show all", all of them in a CSV to download.
	many := t.TempDir()
	for _, f := range []string{"employees.csv", "absences.csv"} {
		b, _ := os.ReadFile(filepath.Join(good, f))
		os.WriteFile(filepath.Join(many, f), b, 0o644)
	}
	var b strings.Builder
	b.WriteString("shift_id,employee_id,date,start_time,end_time,break_minutes,hours,position,location,status\n")
	for i := range 80 {
		fmt.Fprintf(&b, "X%d,E0001,2026-13-01,08:00,09:00,0,1.00,Cashier,Store 1,worked\n", i)
	}
	os.WriteFile(filepath.Join(many, "shifts.csv"), []byte(b.String()), 0o644)
	run(upload(many), chromedp.Click(css("#dryrun")), waitFor(`(document.querySelector("#problems .download") || {}).textContent?.startsWith("80 problems")`), shot("import-2b-80-problems-1366"),
		chromedp.EmulateViewport(375, 800), shot("import-2b-80-problems-375"), chromedp.EmulateViewport(1366, 900))
	shown := eval[[]string](t, ctx, `[...document.querySelectorAll("#problems > .tablewrap tbody tr")].map(tr => [...tr.cells].map(c => c.textContent).join("|"))`)
	if len(shown) != 50 || !strings.HasPrefix(shown[0], "shifts.csv|2|date|“2026-13-01”|Change it to a date") || !strings.HasPrefix(shown[49], "shifts.csv|51|date|") {
		t.Errorf("%d problems shown: %q", len(shown), shown[:min(2, len(shown))])
	}
	run(chromedp.Click(css("#allproblems summary")), waitFor(`document.getElementById("allproblems").open`))
	if rest := eval[[]string](t, ctx, `[...document.querySelectorAll("#allproblems tbody tr td:nth-child(2)")].map(td => td.textContent)`); len(rest) != 30 || rest[29] != "81" {
		t.Errorf("the rest: %q", rest)
	}
	csvText := eval[string](t, ctx, `decodeURIComponent(document.getElementById("problems-csv").getAttribute("href").replace(/^data:text\/csv;charset=utf-8,/, ""))`)
	if lines := strings.Split(strings.TrimSpace(csvText), "\n"); len(lines) != 81 || lines[0] != "file,line,column,field,value,what to do" || !strings.HasPrefix(lines[80], "shifts.csv,81,3,date,2026-13-01,Change it to a date") {
		t.Errorf("problems CSV: %d lines, %q … %q", len(lines), lines[0], lines[len(lines)-1])
	}
	// Check only, good files; then the import.
	run(upload(good), chromedp.Click(css("#dryrun")), waitFor(`!!document.querySelector(".notice")`), shot("import-3-dry-run-ok-1366"))
	if n := eval[string](t, ctx, `document.querySelector(".notice").textContent`); !strings.Contains(n, "an import would store") || !strings.Contains(n, "Nothing was changed") {
		t.Errorf("dry run of good files: %q", n)
	}
	if last := eval[string](t, ctx, `document.getElementById("lastimport").textContent`); !strings.Contains(last, "No HR data has been imported yet") {
		t.Errorf("a dry run counted as an import: %q", last)
	}
	run(upload(good), chromedp.Click(css("#importform button.primary")), waitFor(`!!document.querySelector(".notice") && document.querySelector(".notice").textContent.startsWith("Imported")`), shot("import-4-imported-1366"))
	last := eval[string](t, ctx, `document.getElementById("lastimport").textContent`)
	if !strings.Contains(last, "by admin@acme-retail.example") || !strings.Contains(last, fmt.Sprintf("%d employees", had)) {
		t.Errorf("last import: %q", last)
	}
}
