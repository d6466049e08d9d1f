package web

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/errcode"
)

// A page shows an internal failure as the generic message and logs its
// cause; a failure the user can act on is shown and not logged.
func TestFailureLogsOnlyInternalCauses(t *testing.T) {
	var buf bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&buf, nil))}
	r := httptest.NewRequest("POST", "/admin/import", nil)
	e := s.failure(r, errors.New("clear shifts: deadlock detected (SQLSTATE 40P01)"))
	if e.Code != errcode.Internal || strings.Contains(e.Message, "deadlock") {
		t.Errorf("internal failure shown as %s %q", e.Code, e.Message)
	}
	if log := buf.String(); !strings.Contains(log, "deadlock detected") || !strings.Contains(log, "/admin/import") {
		t.Errorf("the log lacks the cause and the page: %q", log)
	}
	buf.Reset()
	e = s.failure(r, errcode.New(errcode.Invalid, "The HR files have 1 problem(s)"))
	if e.Code != errcode.Invalid || e.Message != "The HR files have 1 problem(s)" || buf.Len() != 0 {
		t.Errorf("invalid input: shown %s %q, logged %q", e.Code, e.Message, buf.String())
	}
}
