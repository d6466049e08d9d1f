package hr

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// MaxListed is how many problems an import lists in full; it reads every
// row and counts every problem past it, but a file of a million broken
// lines should not make a million-entry list (memory, a 100 MB answer).
const MaxListed = 100_000

// progressThreshold: files larger than this report progress on stderr.
const progressThreshold = 4 << 20

// Nouns are the words for the counts, singular for one ("1 shift", "2
// shifts"), for the sentences that report an import.
func (c Counts) Nouns() (employees, shifts, absences string) {
	return noun(c.Employees, "employee"), noun(c.Shifts, "shift"), noun(c.Absences, "absence")
}

func noun(n int64, one string) string {
	if n == 1 {
		return one
	}
	return one + "s"
}

// Counts is what an import stored.
type Counts struct {
	Employees     int64   `json:"employees"`
	Shifts        int64   `json:"shifts"`
	Absences      int64   `json:"absences"`
	Seconds       float64 `json:"seconds"`
	RowsPerSecond float64 `json:"rows_per_second"`
}

type problems struct {
	list  []Problem
	total int
}

func (p *problems) add(pr Problem) {
	p.total++
	if len(p.list) < MaxListed {
		p.list = append(p.list, pr)
	}
}
func (p *problems) any() bool { return p.total > 0 }

// Problems is every problem of a refused import, located; it is the cause
// an import's error carries, for a page that shows them as a table.
type Problems []Problem

func (ps Problems) Error() string { return fmt.Sprintf("%d problems in the HR files", len(ps)) }

// Import replaces tx's tenant's HR data with the three CSV files in dir.
// Nothing is written unless every file is valid: the caller's transaction is
// rolled back on the returned error, which lists every problem (up to
// MaxListed), each with file, line, column, value and what was expected;
// its cause is the Problems.
func Import(ctx context.Context, tx *store.Tx, dir string, progress io.Writer) (Counts, error) {
	return importFiles(ctx, tx, dir, progress, false)
}

// swapWait is how long an import tries, at most, to find a moment when no
// question holds the shared tables its new partitions go into (a variable
// so that a test can give up sooner).
var swapWait = 30 * time.Second

// partitioned are the tables that, on PostgreSQL, have a partition per
// tenant which an import replaces whole: the shifts and their rollups.
func partitioned() []string {
	tables := []string{"shifts"}
	for _, r := range rollupTables {
		tables = append(tables, r.name)
	}
	return tables
}

// importFiles is Import; a dry run (rolled back) does not swap the new
// tables in, which would only hold every tenant's questions a moment.
func importFiles(ctx context.Context, tx *store.Tx, dir string, progress io.Writer, dry bool) (Counts, error) {
	start := time.Now()
	imp := &importer{ctx: ctx, tx: tx, progress: progress, employees: map[string]empInfo{}, refused: map[string]bool{}, seed: maphash.MakeSeed(), dry: dry}
	// a failure returns with writers still at work on the transaction
	// the caller is about to end: they stop first
	defer imp.stopWriters()
	var files [3]*os.File
	for i, spec := range fileSpecs {
		f, err := os.Open(filepath.Join(dir, spec.name))
		if err != nil {
			imp.probs.add(Problem{File: spec.name, Expected: fmt.Sprintf("the file %s in %s (%v)", spec.name, dir, errors.Unwrap(err))})
			continue
		}
		defer f.Close()
		files[i] = f
	}
	if imp.probs.any() {
		return Counts{}, imp.failure()
	}
	if err := tx.LockHRImport(ctx); err != nil {
		return Counts{}, err
	}
	tables := []string{"absences", "hr_vocabulary", "employees"}
	if tx.Dialect.Copies() {
		// written into new tables that replace the tenant's partitions
		if err := tx.StageHR(ctx, partitioned()); err != nil {
			return Counts{}, err
		}
	} else {
		tables = append(tables, partitioned()...)
	}
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, "delete from "+t+" where tenant_id = $1", tx.TenantID); err != nil {
			return Counts{}, store.Err(err, "clear "+t)
		}
	}
	imp.vocab = map[[2]string]bool{}
	if err := imp.readEmployees(files[0]); err != nil {
		return Counts{}, err
	}
	if err := imp.readShifts(files[1]); err != nil {
		return Counts{}, err
	}
	if err := imp.readAbsences(files[2]); err != nil {
		return Counts{}, err
	}
	if imp.probs.any() {
		return Counts{}, imp.failure()
	}
	if err := imp.writeVocabulary(); err != nil {
		return Counts{}, err
	}
	if err := tx.HRImported(ctx); err != nil {
		return Counts{}, err
	}
	// last: from the swap to the commit every tenant's shifts are locked
	if tx.Dialect.Copies() && !dry {
		if err := tx.SwapHR(ctx, partitioned(), swapWait); err != nil {
			return Counts{}, err
		}
	}
	c := imp.counts
	c.Seconds = time.Since(start).Seconds()
	if c.Seconds > 0 {
		c.RowsPerSecond = math.Round(float64(c.Employees+c.Shifts+c.Absences) / c.Seconds)
	}
	return c, nil
}

type empInfo struct {
	line    int
	manager string
	hire    int
}

type importer struct {
	ctx       context.Context
	tx        *store.Tx
	progress  io.Writer
	probs     problems
	employees map[string]empInfo
	// refused: ids of employee rows refused for another field. Rows that
	// refer to one are not also reported: the import fails on that row
	// anyway, and one bad birth date listed a thousand shifts and
	// absences as of an unknown employee, burying the one fix.
	refused map[string]bool
	vocab   map[[2]string]bool
	counts  Counts
	seed    maphash.Seed
	batches []*batch
	dry     bool // a check only, rolled back
}

// stopWriters stops every writer goroutine still running (an import that
// failed) without letting it run the work it was given.
func (imp *importer) stopWriters() {
	for _, b := range imp.batches {
		if b.queue != nil {
			b.abandoned.Store(true)
			close(b.queue)
			<-b.done
			b.queue = nil
		}
	}
}

func (imp *importer) failure() error {
	// in the files' order and by line: a reused id is found after the rows
	// that follow it were read
	order := func(file string) int {
		return slices.IndexFunc(fileSpecs[:], func(s fileSpec) bool { return s.name == file })
	}
	slices.SortStableFunc(imp.probs.list, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(order(a.File), order(b.File)), cmp.Compare(a.Line, b.Line))
	})
	details := make([]string, len(imp.probs.list))
	for i, p := range imp.probs.list {
		details[i] = p.String()
	}
	outcome := "nothing was imported and the tenant's previous data is unchanged"
	if imp.dry {
		outcome = "this was a check: nothing was changed"
	}
	more := ""
	if imp.probs.total > len(imp.probs.list) {
		more = fmt.Sprintf(" (the first %d are listed)", len(imp.probs.list))
	}
	return &errcode.Error{
		Code: errcode.Invalid,
		Message: fmt.Sprintf("The HR files have %d %s%s; %s. First: %s",
			imp.probs.total, noun(int64(imp.probs.total), "problem"), more, outcome, imp.probs.list[0]),
		Details: details,
		Err:     Problems(imp.probs.list),
	}
}

// rowFunc handles one valid-so-far row: line is the 1-based line number,
// vals the converted values in spec order; it may report more problems.
type rowFunc func(line int, vals []any) error

// claimFunc notes the id (first column) of a row refused for another
// field: the id is still used there, and a later row that uses it again
// is reported now, not after the first problem is mended.
type claimFunc func(line int, id string) error

// countingReader tracks bytes read, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// maxRecord bounds a CSV record: the longest valid row (every field at its
// limit, four bytes a character) is under 20 KiB, and encoding/csv holds a
// whole record in memory, so a file that is one endless line — or one
// endless quoted field spread over many lines — is refused instead of read
// into memory.
const maxRecord = 64 << 10

// recordLimit fails once a record grows past maxRecord bytes. It follows
// quotes as CSV does (a doubled quote toggles twice), so a line break inside
// quotes does not end a record.
type recordLimit struct {
	r       io.Reader
	run     int  // bytes of the current record so far
	line    int  // 1-based physical line being read
	start   int  // the line the current record began on
	quoted  bool // inside a quoted field
	started bool
}

type recordTooLong struct{ line int }

func (e *recordTooLong) Error() string {
	return fmt.Sprintf("the record from line %d is longer than %d bytes", e.line, maxRecord)
}

func (l *recordLimit) Read(p []byte) (int, error) {
	if !l.started {
		l.line, l.start, l.started = 1, 1, true
	}
	n, err := l.r.Read(p)
	chunk := p[:n]
	// Whole-buffer searches, not a loop per byte: this sees every byte of a
	// million-shift import. Without quotes (the usual case) only newlines
	// matter; a buffer holds at most 64 KiB, so only the record running in
	// from the previous one can be too long.
	if !l.quoted && bytes.IndexByte(chunk, '"') < 0 {
		first := bytes.IndexByte(chunk, '\n')
		if first < 0 {
			if l.run += len(chunk); l.run > maxRecord {
				return 0, &recordTooLong{line: l.start}
			}
		} else {
			if l.run+first > maxRecord {
				return 0, &recordTooLong{line: l.start}
			}
			l.line += bytes.Count(chunk, []byte{'\n'})
			l.run, l.start = len(chunk)-bytes.LastIndexByte(chunk, '\n')-1, l.line
		}
		chunk = nil
	}
	for len(chunk) > 0 {
		i := bytes.IndexAny(chunk, "\"\n")
		if i < 0 {
			l.run += len(chunk)
			break
		}
		l.run += i + 1
		if chunk[i] == '"' {
			l.quoted = !l.quoted
		} else {
			l.line++
			if !l.quoted {
				l.run, l.start = 0, l.line
			}
		}
		if l.run > maxRecord {
			break
		}
		chunk = chunk[i+1:]
	}
	if l.run > maxRecord {
		return 0, &recordTooLong{line: l.start}
	}
	return n, err
}

// readCSV streams one file, checking its header and every field against spec.
func (imp *importer) readCSV(f *os.File, spec fileSpec, each rowFunc, claim claimFunc) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() == 0 {
		imp.probs.add(Problem{File: spec.name, Line: 1, Expected: "a header row: " + spec.columnNames() + " (the file is empty)"})
		return nil
	}
	cr := &countingReader{r: f}
	br := bufio.NewReaderSize(&recordLimit{r: cr}, 1<<16)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		imp.probs.add(Problem{File: spec.name, Line: 1, Expected: "a header row: " + spec.columnNames()})
		return nil
	}
	// order[i] = index in spec.columns of the file's i-th column
	order := make([]int, len(header))
	seen := make([]bool, len(spec.columns))
	headerOK := true
	for i, h := range header {
		order[i] = -1
		for j, c := range spec.columns {
			if strings.TrimSpace(h) == c.name && !seen[j] {
				order[i], seen[j] = j, true
			}
		}
		if order[i] < 0 {
			imp.probs.add(Problem{File: spec.name, Line: 1, Column: i + 1, Field: "header", Value: h,
				Expected: "only the columns " + spec.columnNames() + " (remove or rename this one)"})
			headerOK = false
		}
	}
	for j, c := range spec.columns {
		if !seen[j] {
			imp.probs.add(Problem{File: spec.name, Line: 1, Field: "header", Value: strings.Join(header, ","),
				Expected: "a column named " + c.name + " (the header must hold " + spec.columnNames() + ")"})
			headerOK = false
		}
	}
	if !headerOK {
		return nil
	}
	r.FieldsPerRecord = len(header)
	vals := make([]any, len(spec.columns))
	// A field equal to the one above it is the same value, valid again:
	// most of a shift's fields repeat the previous row's (its day, times,
	// status, hours), and checking and boxing each anew was a tenth of a
	// million-shift import.
	above := make([]string, len(header))
	aboveVal := make([]any, len(header))
	aboveOK := make([]bool, len(header))
	showProgress := imp.progress != nil && st.Size() > progressThreshold
	lastReport := time.Now()
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var long *recordTooLong
			if errors.As(err, &long) {
				imp.probs.add(Problem{File: spec.name, Line: long.line, Expected: fmt.Sprintf("a row of at most %d KiB (no valid row comes near it)", maxRecord>>10)})
				return nil // the rest of the file cannot be read line by line
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				msg := pe.Err.Error()
				if errors.Is(pe.Err, csv.ErrFieldCount) {
					msg = fmt.Sprintf("%d fields as in the header (this line has %d: truncated or broken?)", len(header), len(rec))
				}
				imp.probs.add(Problem{File: spec.name, Line: pe.Line, Column: pe.Column, Expected: msg})
				continue
			}
			return fmt.Errorf("read %s: %w", spec.name, err)
		}
		rowOK, idOK := true, true
		for i, raw := range rec {
			if aboveOK[i] && raw == above[i] {
				vals[order[i]] = aboveVal[i]
				continue
			}
			if order[i] == 0 {
				idOK = false // until it passes its checks
			}
			aboveOK[i] = false
			c := spec.columns[order[i]]
			if !utf8.ValidString(raw) {
				imp.probs.add(Problem{File: spec.name, Line: line, Column: i + 1, Field: c.name, Value: strings.ToValidUTF8(raw, "\uFFFD"),
					Expected: "UTF-8 text (save the file as UTF-8)"})
				rowOK = false
				continue
			}
			if raw == "" && c.optional {
				vals[order[i]] = nil
				continue
			}
			if want := c.checkText(raw); want != "" {
				imp.probs.add(Problem{File: spec.name, Line: line, Column: i + 1, Field: c.name, Value: raw, Expected: want})
				rowOK = false
				continue
			}
			v, want := c.parse(raw)
			if want != "" {
				imp.probs.add(Problem{File: spec.name, Line: line, Column: i + 1, Field: c.name, Value: raw, Expected: want})
				rowOK = false
				continue
			}
			vals[order[i]] = v
			above[i], aboveVal[i], aboveOK[i] = raw, v, true
			idOK = idOK || order[i] == 0
		}
		switch {
		case rowOK:
			if err := each(line, vals); err != nil {
				return err
			}
		case idOK:
			if err := claim(line, vals[0].(string)); err != nil {
				return err
			}
		}
		rows++
		if showProgress && rows%8192 == 0 && time.Since(lastReport) >= time.Second {
			lastReport = time.Now()
			fmt.Fprintf(imp.progress, "%s: %3.0f%% (%d of %d MB), %d rows\n", spec.name,
				100*float64(cr.n)/float64(st.Size()), cr.n>>20, st.Size()>>20, rows)
		}
	}
	if showProgress {
		fmt.Fprintf(imp.progress, "%s: done, %d rows\n", spec.name, rows)
	}
	return nil
}

func (imp *importer) problem(file string, line, col int, field, value, want string) {
	imp.probs.add(Problem{File: file, Line: line, Column: col, Field: field, Value: value, Expected: want})
}

func colOf(spec fileSpec, name string) int {
	for i, c := range spec.columns {
		if c.name == name {
			return i + 1
		}
	}
	return 0
}

func (imp *importer) learn(field string, v any) {
	if s, ok := v.(string); ok {
		imp.vocab[[2]string{field, s}] = true
	}
}

func (imp *importer) readEmployees(f *os.File) error {
	spec := employeesSpec
	type pending struct {
		line int
		vals []any
	}
	var rows []pending
	emails := map[string]int{}
	// every id's first line, whether or not its row was refused
	firstLine := map[string]int{}
	used := func(line int, id string) bool {
		if prev, dup := firstLine[id]; dup {
			imp.problem(spec.name, line, 1, "employee_id", id, fmt.Sprintf("a unique id (already used on line %d)", prev))
			return true
		}
		firstLine[id] = line
		return false
	}
	err := imp.readCSV(f, spec, func(line int, vals []any) error {
		id := vals[0].(string)
		if used(line, id) {
			return nil
		}
		email := strings.ToLower(vals[3].(string))
		if prev, dup := emails[email]; dup {
			imp.problem(spec.name, line, colOf(spec, "email"), "email", vals[3].(string), fmt.Sprintf("a unique email (already used on line %d)", prev))
			imp.refused[id] = true
			return nil
		}
		emails[email] = line
		hire, _ := dayNumber(vals[6].(string))
		if birth, _ := dayNumber(vals[5].(string)); birth >= hire {
			imp.problem(spec.name, line, colOf(spec, "birth_date"), "birth_date", vals[5].(string), "a date before hire_date "+vals[6].(string))
			imp.refused[id] = true
			return nil
		}
		if vals[7] != nil {
			if end, _ := dayNumber(vals[7].(string)); end < hire {
				imp.problem(spec.name, line, colOf(spec, "end_date"), "end_date", vals[7].(string), "a date on or after hire_date "+vals[6].(string))
				imp.refused[id] = true
				return nil
			}
		}
		mgr, _ := vals[12].(string)
		imp.employees[id] = empInfo{line: line, manager: mgr, hire: hire}
		rows = append(rows, pending{line, append([]any(nil), vals...)})
		return nil
	}, func(line int, id string) error {
		if !used(line, id) {
			imp.refused[id] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Every manager must exist, and the manager tree must have no cycle.
	ids := make([]string, 0, len(imp.employees))
	for id := range imp.employees {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return imp.employees[ids[i]].line < imp.employees[ids[j]].line })
	state := map[string]int{} // 0 unvisited, 1 on the current path, 2 done
	for _, id := range ids {
		e := imp.employees[id]
		if e.manager != "" && !imp.refused[e.manager] {
			if _, ok := imp.employees[e.manager]; !ok {
				imp.problem(spec.name, e.line, colOf(spec, "manager_id"), "manager_id", e.manager, "the employee_id of an employee in employees.csv")
				continue
			}
		}
		var path []string
		cur := id
		for cur != "" && state[cur] == 0 {
			state[cur] = 1
			path = append(path, cur)
			cur = imp.employees[cur].manager
		}
		if cur != "" && state[cur] == 1 {
			cycle := []string{cur}
			for k := len(path) - 1; k >= 0 && path[k] != cur; k-- {
				cycle = append(cycle, path[k])
			}
			ce := imp.employees[cur]
			imp.problem(spec.name, ce.line, colOf(spec, "manager_id"), "manager_id", ce.manager,
				"a manager tree without cycles (cycle: "+strings.Join(cycle, " → ")+" → "+cur+")")
		}
		for _, p := range path {
			state[p] = 2
		}
	}
	if imp.probs.any() {
		return nil
	}
	b := imp.newBatch(spec)
	for _, p := range rows {
		for _, f := range []int{8, 9, 13} {
			imp.learn(spec.columns[f].name, p.vals[f])
		}
		imp.learn("first_name", p.vals[1])
		imp.learn("last_name", p.vals[2])
		imp.learn("name", p.vals[1].(string)+" "+p.vals[2].(string))
		if err := b.add(p.vals); err != nil {
			return err
		}
	}
	imp.counts.Employees = int64(len(rows))
	return b.flush()
}

func (imp *importer) readShifts(f *os.File) error {
	spec := shiftsSpec
	ids := newIDSet(estimateRows(f))
	b := imp.newBatch(spec)
	if imp.tx.Dialect.Copies() {
		b.table, b.direct = imp.tx.StagedHR(spec.table), true
	}
	totals, err := imp.newShiftTotals()
	if err != nil {
		return err
	}
	var suspects []heldRow // rows whose id's hash bits were seen before
	held := 0              // of them, rows held with their values
	write := func(vals []any) error {
		imp.counts.Shifts++ // its position and location are learnt with its totals
		if err := totals.add(vals); err != nil {
			return err
		}
		return b.add(vals)
	}
	// settle finds which suspects reuse an id, and writes the others
	settle := func() error {
		want := map[string]bool{}
		for _, s := range suspects {
			want[s.id] = true
		}
		first, err := firstLines(f, spec, want)
		if err != nil {
			return err
		}
		for _, s := range suspects {
			if prev := first[s.id]; prev < s.line {
				imp.problem(spec.name, s.line, 1, "shift_id", s.id, fmt.Sprintf("a unique id (already used on line %d)", prev))
				continue
			}
			if s.vals == nil {
				if s.problem != nil { // a row that reuses no id reports what else is wrong with it
					imp.probs.add(*s.problem)
				}
				continue
			}
			if imp.validShift(s.line, s.vals) && !imp.probs.any() {
				if err := write(s.vals); err != nil {
					return err
				}
			}
		}
		suspects, held = suspects[:0], 0
		return nil
	}
	err = imp.readCSV(f, spec, func(line int, vals []any) error {
		id := vals[0].(string)
		if ids.add(maphash.String(imp.seed, id)) {
			h := heldRow{line: line, id: strings.Clone(id)}
			if imp.probs.any() {
				// nothing will be written: the row is checked now and held
				// for its id, with its problem if it has one
				h.problem = imp.shiftProblem(line, vals)
			} else {
				h.vals = slices.Clone(vals)
				held++
			}
			suspects = append(suspects, h)
			// memory stays bounded, and a file that reuses many ids is
			// read again once per maxSuspectIDs of them, not once per
			// maxSuspects
			if held >= maxSuspects || len(suspects) >= maxSuspectIDs {
				return settle()
			}
			return nil
		}
		if !imp.validShift(line, vals) || imp.probs.any() {
			return nil // keep validating, stop writing
		}
		return write(vals)
	}, func(line int, id string) error {
		// a refused row's id, held by line alone if seen before
		if ids.add(maphash.String(imp.seed, id)) {
			if suspects = append(suspects, heldRow{line: line, id: strings.Clone(id)}); len(suspects) >= maxSuspectIDs {
				return settle()
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(suspects) > 0 {
		if err := settle(); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	return totals.flush()
}

// validShift checks what a shift's fields alone cannot tell, and reports
// its problem if it has one.
func (imp *importer) validShift(line int, vals []any) bool {
	if p := imp.shiftProblem(line, vals); p != nil {
		imp.probs.add(*p)
		return false
	}
	return true
}

// shiftProblem is what a shift's fields alone cannot tell: that its
// employee exists and its hours are its times less its break; nil when
// both hold.
func (imp *importer) shiftProblem(line int, vals []any) *Problem {
	spec := shiftsSpec
	if _, ok := imp.employees[vals[1].(string)]; !ok && !imp.refused[vals[1].(string)] {
		return &Problem{File: spec.name, Line: line, Column: 2, Field: "employee_id", Value: vals[1].(string), Expected: "the employee_id of an employee in employees.csv"}
	}
	start, _ := minuteOfDay(vals[3].(string))
	end, _ := minuteOfDay(vals[4].(string))
	if end <= start {
		end += 24 * 60 // past midnight
	}
	paid := float64(end-start-int(vals[5].(int64))) / 60
	if math.Abs(paid-vals[6].(float64)) > 0.011 {
		return &Problem{File: spec.name, Line: line, Column: colOf(spec, "hours"), Field: "hours", Value: fmt.Sprint(vals[6]),
			Expected: fmt.Sprintf("end − start − break = %.2f", paid)}
	}
	return nil
}

// estimateRows guesses a file's rows from its size and the length of its
// first lines, a tenth over.
func estimateRows(f *os.File) int {
	st, err := f.Stat()
	if err != nil {
		return 0
	}
	buf := make([]byte, 64<<10)
	n, _ := f.ReadAt(buf, 0)
	lines := bytes.Count(buf[:n], []byte{'\n'})
	if lines == 0 {
		return 0
	}
	return int(st.Size()*int64(lines)/int64(n)) * 11 / 10
}

// maxSuspects bounds the rows an import holds back for a second look with
// their values (rows it may still write), maxSuspectIDs those it holds by
// line and id alone (about 50 bytes each) once a problem is known and
// nothing will be written.
var maxSuspects, maxSuspectIDs = 1024, 1 << 18

// rereads counts the second reads of files, for a test to bound.
var rereads atomic.Int64

// heldRow is a row held back: its line, its id, and its values while it
// may still be written (nil once a problem is known, when it holds what
// else is wrong with the row instead, reported only if it reuses no id).
type heldRow struct {
	line    int
	id      string
	vals    []any
	problem *Problem
}

// firstLines reads a file's ids again (through its own reader, so that a
// read in progress goes on) and returns the line each id of want was first
// seen on: the check of an idSet's suspects, a rare second read (an id used
// twice, or two ids of equal hash bits).
func firstLines(f *os.File, spec fileSpec, want map[string]bool) (map[string]int, error) {
	rereads.Add(1)
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bufio.NewReaderSize(&recordLimit{r: io.NewSectionReader(f, 0, st.Size())}, 1<<16))
	r.ReuseRecord, r.FieldsPerRecord = true, -1
	header, err := r.Read()
	col := -1
	for i, h := range header {
		if strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) == spec.columns[0].name {
			col = i
		}
	}
	if err != nil || col < 0 {
		return nil, fmt.Errorf("read %s again: no %s column", spec.name, spec.columns[0].name)
	}
	first := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return first, nil
		}
		if err != nil {
			var pe *csv.ParseError
			var long *recordTooLong
			switch {
			case errors.As(err, &long):
				return first, nil // the first read stopped there too
			case errors.As(err, &pe):
				continue // reported by the first read
			}
			return nil, fmt.Errorf("read %s again: %w", spec.name, err)
		}
		if col >= len(rec) || !want[rec[col]] {
			continue
		}
		if _, seen := first[rec[col]]; !seen {
			line, _ := r.FieldPos(0)
			first[strings.Clone(rec[col])] = line
		}
	}
}

func (imp *importer) readAbsences(f *os.File) error {
	spec := absencesSpec
	ids := map[string]int{}
	b := imp.newBatch(spec)
	used := func(line int, id string) bool {
		if prev, dup := ids[id]; dup {
			imp.problem(spec.name, line, 1, "absence_id", id, fmt.Sprintf("a unique id (already used on line %d)", prev))
			return true
		}
		ids[id] = line
		return false
	}
	err := imp.readCSV(f, spec, func(line int, vals []any) error {
		id := vals[0].(string)
		if used(line, id) {
			return nil
		}
		if _, ok := imp.employees[vals[1].(string)]; !ok && !imp.refused[vals[1].(string)] {
			imp.problem(spec.name, line, 2, "employee_id", vals[1].(string), "the employee_id of an employee in employees.csv")
			return nil
		}
		start, _ := dayNumber(vals[3].(string))
		end, _ := dayNumber(vals[4].(string))
		if end < start {
			imp.problem(spec.name, line, 5, "end_date", vals[4].(string), "a date on or after start_date "+vals[3].(string))
			return nil
		}
		if int64(end-start+1) != vals[5].(int64) {
			imp.problem(spec.name, line, 6, "days", fmt.Sprint(vals[5]), fmt.Sprintf("%d (calendar days from start_date to end_date, inclusive)", end-start+1))
			return nil
		}
		if imp.probs.any() {
			return nil
		}
		imp.counts.Absences++
		return b.add(vals)
	}, func(line int, id string) error { used(line, id); return nil })
	if err != nil {
		return err
	}
	return b.flush()
}

func (imp *importer) writeVocabulary() error {
	keys := make([][2]string, 0, len(imp.vocab))
	for k := range imp.vocab {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	b := imp.newBatchCols("hr_vocabulary", []string{"field", "value"})
	for _, k := range keys {
		if err := b.add([]any{k[0], k[1]}); err != nil {
			return err
		}
	}
	return b.flush()
}

// batch inserts rows many at a time: one statement per batchRows rows is
// what makes a million-row import fast on both databases. Full batches go
// to a writer goroutine, so that reading and checking the CSV (one core)
// overlaps with the database's work (the other).
type batch struct {
	imp   *importer
	table string
	cols  []string
	enc   *store.CopyRows // PostgreSQL: the rows of the next COPY
	row   []any           // PostgreSQL: the tenant, then a row's values
	args  []any           // SQLite: the values of the rows not yet sent
	rows  int
	queue chan any
	done  chan error
	err   error
	// merge, when set, is the ON CONFLICT clause that adds a row to one
	// already written (rollups); such rows are inserted, never copied,
	// since PostgreSQL's COPY cannot merge.
	merge string
	// direct: PostgreSQL copies straight into the table (a temporary one,
	// without row-level security), not through a staging table
	direct    bool
	staged    int         // bytes copied into the staging table and not yet moved
	abandoned atomic.Bool // the import failed: the writer runs nothing more
}

// batchRows is how many rows one SQLite INSERT carries, sendRows how many
// go to the writer goroutine at a time.
const batchRows, sendRows = 32, 1024

func (imp *importer) newBatch(spec fileSpec) *batch {
	cols := make([]string, len(spec.columns))
	for i, c := range spec.columns {
		cols[i] = c.name
	}
	return imp.newBatchCols(spec.table, cols)
}

// copyBytes is how large one PostgreSQL COPY grows before it is sent (about
// 13,000 shifts): one statement and round trip per megabyte, not per row.
const copyBytes = 1 << 20

// addPG encodes a row for COPY.
func (b *batch) addPG(vals []any) error {
	if b.enc == nil {
		enc, err := b.imp.tx.CopyRows(b.imp.ctx, b.table, b.copyCols())
		if err != nil {
			return store.Err(err, "copy into "+b.table)
		}
		b.enc, b.row = enc, []any{b.imp.tx.TenantID} // the tenant boxed once
	}
	b.row = append(b.row[:1], vals...)
	if err := b.enc.Add(b.row...); err != nil {
		return err
	}
	if b.enc.Size() < copyBytes {
		return nil
	}
	return b.send(b.enc.Take())
}

func (b *batch) copyCols() []string { return append([]string{"tenant_id"}, b.cols...) }

func (b *batch) copy(data []byte) error {
	if b.direct {
		return b.imp.tx.CopyInto(b.imp.ctx, b.table, b.copyCols(), data)
	}
	return b.imp.tx.CopyFrom(b.imp.ctx, b.table, b.copyCols(), data)
}

func (imp *importer) newBatchCols(table string, cols []string) *batch {
	b := &batch{imp: imp, table: table, cols: cols}
	imp.batches = append(imp.batches, b)
	return b
}

func (b *batch) statement(rows int) string {
	var sb strings.Builder
	// any failure aborts the whole import anyway
	sb.WriteString(b.imp.tx.Dialect.InsertAllOrNothing() + b.table + " (tenant_id, " + strings.Join(b.cols, ", ") + ") values ")
	// the tenant is a number of the transaction, not of the file: written
	// into the statement, it is not bound again for every row
	tenant := "(" + strconv.FormatInt(b.imp.tx.TenantID, 10) + ", "
	w := len(b.cols)
	for r := 0; r < rows; r++ {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(tenant)
		sb.WriteString(b.imp.tx.Dialect.RowPlaceholders(r*w+1, w))
		sb.WriteByte(')')
	}
	if b.merge != "" {
		sb.WriteString(" on conflict " + b.merge)
	}
	return sb.String()
}

func (b *batch) add(vals []any) error {
	if b.err != nil {
		return b.err
	}
	if b.imp.tx.Dialect.Copies() && b.merge == "" {
		return b.addPG(vals)
	}
	if b.args == nil {
		b.args = make([]any, 0, sendRows*len(b.cols))
	}
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows < sendRows {
		return nil
	}
	args := b.args
	b.args, b.rows = nil, 0
	return b.send(args)
}

// insert writes rows (their values one after another), batchRows a
// statement and what is left in one more.
func (b *batch) insert(args []any) error {
	w := len(b.cols)
	whole := len(args) / (batchRows * w) * (batchRows * w)
	if whole > 0 {
		if err := b.imp.tx.ExecEach(b.imp.ctx, b.statement(batchRows), args[:whole], batchRows*w); err != nil {
			return err
		}
	}
	if rest := args[whole:]; len(rest) > 0 {
		// the same guarded way: nothing runs once the transaction is over
		return b.imp.tx.ExecEach(b.imp.ctx, b.statement(len(rest)/w), rest, len(rest))
	}
	return nil
}

// send hands a full batch (SQLite: statement arguments; PostgreSQL: rows
// for COPY) to the writer goroutine, starting it on first use.
func (b *batch) send(work any) error {
	if b.queue == nil {
		b.queue, b.done = make(chan any, 2), make(chan error, 1)
		go b.write()
	}
	select {
	case b.queue <- work:
		return nil
	case err := <-b.done: // the writer stopped early, and drains until this
		b.err = err
		close(b.queue)
		b.queue = nil
		return err
	}
}

// write executes full batches until the queue closes or one fails.
func (b *batch) write() {
	for work := range b.queue {
		if b.abandoned.Load() {
			continue // drained, so that stopWriters is not kept waiting
		}
		var err error
		switch w := work.(type) {
		case []any:
			err = b.insert(w)
		case []byte:
			if err = b.copy(w); err == nil && !b.direct {
				err = b.moveEvery(len(w))
			}
		}
		if err != nil {
			b.done <- store.Err(err, "insert "+b.table)
			for range b.queue { // drain so the reader never blocks
			}
			return
		}
	}
	b.done <- nil
}

// moveBytes is how much staged COPY data PostgreSQL moves into its table at
// a time while the file is still being read: the database's process would
// otherwise wait for the reader, then move every row at the end while the
// reader waits for it.
const moveBytes = 8 << 20

// moveEvery notes n more bytes staged and moves them once moveBytes are.
func (b *batch) moveEvery(n int) error {
	if b.staged += n; b.staged < moveBytes {
		return nil
	}
	b.staged = 0
	return b.imp.tx.MoveStaged(b.imp.ctx, b.table, b.copyCols())
}

// flush writes what is left and waits for the writer.
func (b *batch) flush() error {
	if b.queue != nil {
		close(b.queue)
		if err := <-b.done; err != nil {
			return err
		}
		b.queue = nil
	}
	if b.err != nil {
		return b.err
	}
	if b.enc != nil && b.enc.Rows() > 0 {
		if err := b.copy(b.enc.Take()); err != nil {
			return store.Err(err, "copy into "+b.table)
		}
	}
	if b.imp.tx.Dialect.Copies() && !b.direct {
		return store.Err(b.imp.tx.MoveStaged(b.imp.ctx, b.table, b.copyCols()), "insert "+b.table)
	}
	if b.rows == 0 {
		return nil
	}
	if err := b.insert(b.args); err != nil {
		return store.Err(err, "insert "+b.table)
	}
	b.args, b.rows = nil, 0
	return nil
}
