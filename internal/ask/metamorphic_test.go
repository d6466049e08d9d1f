package ask_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/errcode"
)

// Metamorphic tests: relations that must hold between the answers to
// related questions, over base questions generated here rather than
// written one by one.

// baseQuestions are generated from measures, groups and periods.
func baseQuestions() []string {
	var out []string
	for _, m := range []string{"Hours worked", "Sick days", "Number of shifts", "Headcount", "Average age", "Absences"} {
		for _, d := range []string{"", " per department", " by position", " by location"} {
			for _, p := range []string{"", " last month", " this year"} {
				if m == "Headcount" || m == "Average age" {
					if p != "" {
						continue
					}
				}
				out = append(out, m+d+p)
			}
		}
	}
	return out
}

// column reads one column of the reference data.
func column(t *testing.T, ref *ask.Reference, sql string) []string {
	t.Helper()
	rows, err := ref.DB.Query(sql)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func total(rows [][]any) float64 {
	s := 0.0
	for _, r := range rows {
		if f, ok := r[len(r)-1].(float64); ok {
			s += f
		} else if n, ok := r[len(r)-1].(int64); ok {
			s += float64(n)
		}
	}
	return s
}

// TestUnknownWordsAreRefused: adding a name, a group word or a concept the
// data does not have turns every answer into not_understood naming it.
func TestUnknownWordsAreRefused(t *testing.T) {
	f := shared(t)
	additions := []struct{ add, word string }{
		{" for Zyxel Quorp", "zyxel quorp"},
		{" on the graveyard shift", "graveyard"},
		{" of the blorf team", "blorf"},
		{" with a performance rating above 3", "performance"},
		{" in Atlantis", "atlantis"},
	}
	answered := 0
	for _, q := range baseQuestions() {
		if _, err := f.ask(t, "acme-retail", "admin", q); err != nil {
			t.Errorf("base question %q is not answered: %v", q, err)
			continue
		}
		answered++
		for _, a := range additions {
			_, err := f.ask(t, "acme-retail", "admin", q+a.add)
			if !errcode.Is(err, errcode.NotUnderstood) {
				t.Errorf("%q: want not_understood, got %v", q+a.add, err)
				continue
			}
			if !strings.Contains(errcode.From(err).Message, a.word) {
				t.Errorf("%q: the refusal does not name %q: %s", q+a.add, a.word, errcode.From(err).Message)
			}
		}
	}
	t.Logf("%d base questions, each refused with %d unknown additions", answered, len(additions))
}

// TestInAndExcludingAreComplements: "in X" and "excluding X" add up to the
// whole, for every department of the tenant.
func TestInAndExcludingAreComplements(t *testing.T) {
	f := shared(t)
	depts := column(t, f.refs["acme-retail"], "select distinct department from employees order by 1")
	if len(depts) < 3 {
		t.Fatalf("departments: %v", depts)
	}
	for _, m := range []string{"How many employees are %s", "Hours worked %s last month", "Sick days %s this year"} {
		whole, err := f.ask(t, "acme-retail", "admin", strings.TrimSpace(strings.ReplaceAll(fmt.Sprintf(m, ""), "are ", "are there")))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range depts {
			for _, neg := range []string{"excluding", "not in", "except"} {
				in, err1 := f.ask(t, "acme-retail", "admin", fmt.Sprintf(m, "in "+d))
				out, err2 := f.ask(t, "acme-retail", "admin", fmt.Sprintf(m, neg+" "+d))
				if err1 != nil || err2 != nil {
					t.Fatalf("%s %s: %v %v", m, d, err1, err2)
				}
				if got, want := total(in.Rows)+total(out.Rows), total(whole.Rows); fmt.Sprintf("%.2f", got) != fmt.Sprintf("%.2f", want) {
					t.Errorf("%q: in %s (%v) + %s (%v) = %v, whole %v", m, d, total(in.Rows), neg, total(out.Rows), got, want)
				}
			}
		}
	}
}

// TestThresholdCountsPeople: adding "more than N hours" to "how many
// employees" counts people, and agrees with the list of those people.
func TestThresholdCountsPeople(t *testing.T) {
	f := shared(t)
	head, _ := f.ask(t, "acme-retail", "admin", "How many employees do we have?")
	for _, n := range []int{10, 80, 150} {
		c, err := f.ask(t, "acme-retail", "admin", fmt.Sprintf("How many employees worked more than %d hours last month?", n))
		if err != nil {
			t.Fatal(err)
		}
		l, err := f.ask(t, "acme-retail", "admin", fmt.Sprintf("Which employees worked more than %d hours last month?", n))
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Rows) != 1 || total(c.Rows) != float64(len(l.Rows)) {
			t.Errorf("more than %d hours: count %v, list of %d", n, c.Rows, len(l.Rows))
		}
		if total(c.Rows) > total(head.Rows)*2 {
			t.Errorf("more than %d hours: %v is not a count of people", n, c.Rows)
		}
	}
}

// TestWordOrderDoesNotMatter: the same words in another order give the
// same answer.
func TestWordOrderDoesNotMatter(t *testing.T) {
	f := shared(t)
	for _, set := range [][]string{
		{"Hours worked per department last month", "Last month, hours worked per department", "Per department, hours worked last month"},
		{"How many part-time employees are in Logistics?", "How many employees in Logistics are part-time?"},
		{"Average age by position", "By position, the average age"},
		{"List the cashiers sorted by age", "Sorted by age, list the cashiers"},
	} {
		first, err := f.ask(t, "acme-retail", "admin", set[0])
		if err != nil {
			t.Fatalf("%q: %v", set[0], err)
		}
		for _, q := range set[1:] {
			a, err := f.ask(t, "acme-retail", "admin", q)
			if err != nil {
				t.Errorf("%q: %v", q, err)
				continue
			}
			if !reflect.DeepEqual(a.Rows, first.Rows) {
				t.Errorf("%q and %q differ:\n%v\n%v", set[0], q, trim(first.Rows), trim(a.Rows))
			}
		}
	}
}

// TestScopedRefusalsDoNotTellWhoWorksHere: a manager or an employee who
// names a real person outside their scope is refused (permission_denied)
// with the same words as for a first and a last name of the tenant that
// nobody has together, never repeating the name, and never given their own
// data instead.
func TestScopedRefusalsDoNotTellWhoWorksHere(t *testing.T) {
	f := shared(t)
	ref := f.refs["acme-retail"]
	ids := column(t, ref, "select employee_id from employees order by 1")
	firsts := column(t, ref, "select first_name from employees order by employee_id")
	lasts := column(t, ref, "select last_name from employees order by employee_id")
	full := map[string]bool{}
	for i := range ids {
		full[firsts[i]+" "+lasts[i]] = true
	}
	for _, as := range []string{"manager:E0002", "manager:E0105", "employee:E0003"} {
		visible := ref.Visible(as, "2026-11-25")
		// someone outside the scope who shares neither name with anyone
		// inside it (a shared first name is read as that visible person's),
		// and a pairing of such names that no one in the tenant has
		seen := map[string]bool{}
		for i, id := range ids {
			if visible[id] {
				seen[firsts[i]], seen[lasts[i]] = true, true
			}
		}
		var unseenFirst, unseenLast []string
		for i := range ids {
			if !seen[firsts[i]] {
				unseenFirst = append(unseenFirst, firsts[i])
			}
			if !seen[lasts[i]] {
				unseenLast = append(unseenLast, lasts[i])
			}
		}
		outside, fake := "", ""
		for i, id := range ids {
			if visible[id] || seen[firsts[i]] && seen[lasts[i]] {
				continue
			}
			// the unseen part swapped for another unseen one
			for _, other := range append(unseenFirst, unseenLast...) {
				pair := firsts[i] + " " + other
				if !seen[firsts[i]] && slices.Contains(unseenFirst, other) {
					pair = other + " " + lasts[i]
				} else if seen[lasts[i]] || !slices.Contains(unseenLast, other) {
					continue
				}
				if !full[pair] {
					outside, fake = firsts[i]+" "+lasts[i], pair
					break
				}
			}
			if fake != "" {
				break
			}
		}
		if outside == "" || fake == "" {
			t.Fatalf("%s: no one outside the scope with names unseen inside it (%q, %q)", as, outside, fake)
		}
		for _, tmpl := range []string{"What is the hourly wage of %s?", "How many hours did %s work last month?", "Show %s's sick days this year",
			"Who works in the same department as %s?", "Who reports to %s?", "how many sick days did %s take this year"} {
			_, errReal := f.ask(t, "acme-retail", as, fmt.Sprintf(tmpl, outside))
			_, errFake := f.ask(t, "acme-retail", as, fmt.Sprintf(tmpl, strings.ToLower(fake)))
			if !errcode.Is(errReal, errcode.PermissionDenied) || !errcode.Is(errFake, errcode.PermissionDenied) {
				t.Errorf("%s %q: want permission_denied for both, got %v / %v", as, tmpl, errReal, errFake)
				continue
			}
			real, made := errcode.From(errReal).Message, errcode.From(errFake).Message
			if real != made {
				t.Errorf("%s %q: refusals differ:\n%s\n%s", as, tmpl, real, made)
			}
			for _, part := range strings.Fields(strings.ToLower(outside + " " + fake)) {
				if strings.Contains(strings.ToLower(real), part) {
					t.Errorf("%s %q: the refusal repeats %q: %s", as, tmpl, part, real)
				}
			}
		}
	}
}

// TestFollowUps: a follow-up changes the previous query where it says and
// keeps the rest; its answer equals the full question's.
func TestFollowUps(t *testing.T) {
	f := shared(t)
	who, _ := ask.AskerFor(f.tenants["acme-retail"], "admin")
	for _, c := range []struct{ first, follow, full string }{
		{"Hours worked per department last month", "what about last year?", "Hours worked per department last year"},
		{"How many employees are in Logistics?", "and in Retail?", "How many employees are in Retail?"},
		{"Hours worked in Lyon last month", "and for Paris?", "Hours worked in Paris last month"},
		{"Headcount by department", "only part-timers", "Headcount of part-timers by department"},
		{"Sick days this year", "by location", "Sick days by location this year"},
	} {
		first, err := f.ask(t, "acme-retail", "admin", c.first)
		if err != nil {
			t.Fatalf("%q: %v", c.first, err)
		}
		next, err := f.eng.AskAfter(context.Background(), who, c.follow, now, first.Query)
		if err != nil {
			t.Errorf("%q after %q: %v", c.follow, c.first, err)
			continue
		}
		full, err := f.ask(t, "acme-retail", "admin", c.full)
		if err != nil {
			t.Fatalf("%q: %v", c.full, err)
		}
		if !reflect.DeepEqual(next.Rows, full.Rows) {
			t.Errorf("%q after %q differs from %q:\n%v\n%v", c.follow, c.first, c.full, trim(next.Rows), trim(full.Rows))
		}
	}
	// a follow-up still reads every word
	first, _ := f.ask(t, "acme-retail", "admin", "Hours worked last month")
	if _, err := f.eng.AskAfter(context.Background(), who, "and for the graveyard shift?", now, first.Query); !errcode.Is(err, errcode.NotUnderstood) {
		t.Errorf("unknown follow-up words: %v", err)
	}
}
