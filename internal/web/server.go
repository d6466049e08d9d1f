// Package web is scry's HTTP face: the JSON API under /api/v1, health and
// metrics, with sign-in sessions and API tokens. Handlers hold no SQL; they
// call the domain packages, which bind every transaction to the caller's
// tenant.
package web

import (
	"context"
	"crypto/tls"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"golang.org/x/time/rate"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/sso"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/video"
)

// Config is how the server runs.
type Config struct {
	Addr     string
	TLSCert  string
	TLSKey   string
	Sessions identity.SessionPolicy
	MaxBody  int64 // bytes of a JSON request body (default 64 KiB)
	// MaxUpload is the bytes of an upload (the HR files), which are streamed
	// to disk, never held in memory (default 1 GiB).
	MaxUpload int64
	PerIP     float64 // requests per second per client address (default 20, burst 40)
	PerUser   float64 // requests per second per signed-in user (default 10, burst 20)
	Logger    *slog.Logger
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// PublicURL is the address people reach scry at (the tokens' issuer);
	// empty = taken from each request.
	PublicURL string
	// DataDir is the data folder: uploads being imported, and the
	// objects when Objects is nil.
	DataDir string
	// Objects keeps videos, the frames cut for labeling and the outbox
	// (default: the data folder).
	Objects objstore.Store
	// SMTPURL sends invitations of new users (smtp://[user:pass@]host:port);
	// empty = .eml files in <DataDir>/outbox.
	SMTPURL string
	// SSOKey is the file of the key the tenants' SSO secrets are sealed
	// with; empty = <DataDir>/sso/secret.key.
	SSOKey string
	// SSOClient talks to identity providers (default: 10 s timeout).
	SSOClient *http.Client
	// Jobs queues video analyses (default: a client that only inserts;
	// scry serve --workers, or scry worker, works them).
	Jobs *river.Client[*sql.Tx]
	// Process names this server in its audit records (audit.ProcessName);
	// empty = not named, as when one server is all there is.
	Process string
}

// Server serves one installation.
type Server struct {
	cfg      Config
	db       *store.DB
	audit    *audit.Log
	engine   *ask.Engine
	log      *slog.Logger
	metrics  *metrics
	limits   sync.Map // key → *rate.Limiter
	routes   []route
	jobs     *river.Client[*sql.Tx] // the video analyses' queue
	sessions *identity.Checker      // the session check
	shown    shownAnswers           // answers the ask page just gave, for post/redirect/get
	sso      *sso.Service
}

// New builds a server.
func New(cfg Config, db *store.DB, log *audit.Log, engine *ask.Engine) *Server {
	if cfg.Sessions.Idle == 0 {
		cfg.Sessions.Idle = 30 * time.Minute
	}
	if cfg.Sessions.Absolute == 0 {
		cfg.Sessions.Absolute = 12 * time.Hour
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 64 << 10
	}
	if cfg.MaxUpload == 0 {
		cfg.MaxUpload = 1 << 30
	}
	if cfg.PerIP == 0 {
		cfg.PerIP = 20
	}
	if cfg.PerUser == 0 {
		cfg.PerUser = 10
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Objects == nil {
		cfg.Objects = objstore.NewFolder(cfg.DataDir)
	}
	if engine.Audit == nil {
		engine.Audit = log // the questions asked here are recorded in the server's log
	}
	s := &Server{cfg: cfg, db: db, audit: log, engine: engine, log: cfg.Logger, metrics: newMetrics(), jobs: cfg.Jobs}
	if s.jobs == nil {
		var err error
		if s.jobs, err = video.NewClient(db, &video.Worker{}, 0, cfg.Logger); err != nil {
			cfg.Logger.Error("no job queue: analyses cannot be started from the videos page", "err", err)
		}
	}
	s.sessions = identity.NewChecker(db, func(what string, err error) {
		if err != nil {
			s.log.Error(what+" failed", "err", err)
		}
	})
	s.routes = s.routeTable()
	key := cfg.SSOKey
	if key == "" {
		key = sso.DefaultKeyFile(cfg.DataDir)
	}
	s.sso = &sso.Service{DB: db, Audit: log, KeyFile: key, HTTP: cfg.SSOClient, SessionMax: cfg.Sessions.Absolute, Log: cfg.Logger}
	return s
}

// Serve listens until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.sweepUploads()
	errc := make(chan error, 1)
	go func() {
		if s.tls() {
			srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
			errc <- srv.ServeTLS(ln, s.cfg.TLSCert, s.cfg.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := srv.Shutdown(shut)
		<-errc
		if ferr := s.audit.Flush(shut, s.db); ferr != nil {
			s.log.Warn("audit: signing the last tree head failed; the next start's first head covers it", "err", ferr)
		}
		return err
	}
}

// named carries the process's name to whatever a request audits.
func (s *Server) named(next http.Handler) http.Handler {
	if s.cfg.Process == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(audit.WithProcess(r.Context(), s.cfg.Process)))
	})
}

func (s *Server) tls() bool { return s.cfg.TLSCert != "" && s.cfg.TLSKey != "" }

// Handler is the whole HTTP surface with its middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes {
		mux.Handle(r.method+" "+r.path, s.wrap(r))
	}
	s.pageRoutes(mux)
	s.portalRoutes(mux)
	s.ssoRoutes(mux)
	mux.HandleFunc("/", s.notFound)
	csrf := http.NewCrossOriginProtection()
	csrf.AddInsecureBypassPattern(ssoBypass)
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errcode.New(errcode.PermissionDenied, "Cross-origin request refused"))
	}))
	return s.named(s.headers(s.logRequests(s.limitIP(csrf.Handler(mux)))))
}

// headers sets the security headers on every response.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if s.tls() {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (uploads
// extend their deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

type ctxKey int

const logKey ctxKey = 1

// reqLog collects what the request log line says about the caller.
type reqLog struct{ tenant, user, route string }

// logRequests writes one structured line per request and counts it.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		rl := &reqLog{route: "unmatched"}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), logKey, rl)))
		d := time.Since(start)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.metrics.request(rl.route, sw.status, d)
		s.log.Info("request", "method", r.Method, "route", rl.route, "status", sw.status, "duration_ms", float64(d.Microseconds())/1000,
			"tenant", rl.tenant, "user", rl.user, "remote", s.clientAddr(r).String())
	})
}

// clientAddr is the client's address, for rate limits, lockouts, the audit
// log and allow-lists: the peer, or — only when the peer is a trusted
// proxy — the rightmost address in X-Forwarded-For that is not a trusted
// proxy (addresses to its left are the client's to forge). A hop that does
// not parse ends the walk at the last good one.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, _ := netip.ParseAddr(host)
	addr = addr.Unmap()
	if !s.trusted(addr) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if addr = a.Unmap(); !s.trusted(addr) {
			break
		}
	}
	return addr
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (s *Server) limiter(key string, perSecond float64) *rate.Limiter {
	if l, ok := s.limits.Load(key); ok {
		return l.(*rate.Limiter)
	}
	l, _ := s.limits.LoadOrStore(key, rate.NewLimiter(rate.Limit(perSecond), int(2*perSecond)))
	return l.(*rate.Limiter)
}

// limitIP refuses clients that send too many requests.
func (s *Server) limitIP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.limiter("ip:"+s.clientAddr(r).String(), s.cfg.PerIP).Allow() {
			w.Header().Set("Retry-After", "1")
			writeError(w, errcode.New(errcode.RateLimited, "Too many requests; slow down"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// caller is who sends a request, from a session cookie or a bearer token —
// never from the request body.
type caller struct {
	tenantID    int64
	tenantSlug  string
	user        identity.User
	sessionHash string // set when signed in by cookie
	stage       string // a session's stage (identity.StageApp, StagePortal or a portal step still to pass); "" for a token
}

// actor names the caller in audit records and on what they create.
func (c *caller) actor() string { return "user:" + c.user.Email }

const cookieName = "__Host-scry_session"

// authenticate resolves the caller; a missing, forged, expired or revoked
// credential is unauthenticated.
func (s *Server) authenticate(r *http.Request) (*caller, error) {
	return s.authenticateWith(r, s.cfg.Sessions)
}

// authenticateWith is authenticate under a given session policy (a
// workforce's user pool has its own).
func (s *Server) authenticateWith(r *http.Request, policy identity.SessionPolicy) (*caller, error) {
	prefix, value, err := s.credential(r)
	if err != nil {
		return nil, err
	}
	return s.authenticateValue(r, prefix, value, policy)
}

// credential is the request's bearer token or session cookie.
func (s *Server) credential(r *http.Request) (prefix, value string, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		v, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return "", "", errcode.New(errcode.Unauthenticated, "Use Authorization: Bearer <token>")
		}
		return identity.TokenPrefix, strings.TrimSpace(v), nil
	}
	if c, err := r.Cookie(cookieName); err == nil {
		return identity.SessionPrefix, c.Value, nil
	}
	if c, err := r.Cookie("scry_session"); err == nil && !s.tls() {
		return identity.SessionPrefix, c.Value, nil
	}
	return "", "", errcode.New(errcode.Unauthenticated, "Sign in first")
}

// authenticateValue resolves a session id or token to its caller.
func (s *Server) authenticateValue(r *http.Request, prefix, value string, policy identity.SessionPolicy) (*caller, error) {
	c, err := s.sessions.Check(r.Context(), prefix, value, policy)
	if err != nil {
		return nil, err
	}
	return callerOf(c), nil
}

// callerOf is the door's copy of identity's caller.
func callerOf(c identity.Caller) *caller {
	return &caller{tenantID: c.TenantID, tenantSlug: c.TenantSlug, user: c.User, sessionHash: c.SessionHash, stage: c.Stage}
}

// logFailure logs an error a handler goes on without (a page still renders
// what it has, a sign-out still clears the cookie): such an error is never
// dropped silently, nor shown to the client.
func (s *Server) logFailure(r *http.Request, what string, err error) {
	if err != nil {
		s.log.Error(what+" failed", "path", r.URL.Path, "err", err)
	}
}

// authenticateFull is authenticate for the app's routes and pages: a
// session must come from the main sign-in; a portal session, finished or
// not, opens only the portal.
func (s *Server) authenticateFull(r *http.Request) (*caller, error) {
	c, err := s.authenticate(r)
	if err == nil && c.stage != "" && c.stage != identity.StageApp {
		return nil, errcode.New(errcode.Unauthenticated, "Sign in first")
	}
	return c, err
}

// route is one entry of the API: the same table registers handlers and is
// checked against the OpenAPI document by a test.
type route struct {
	method, path string
	public       bool            // no credential needed
	upload       bool            // a file upload: MaxUpload instead of MaxBody, and time to send it
	roles        []identity.Role // allowed roles; empty = any signed-in user
	handle       func(w http.ResponseWriter, r *http.Request, c *caller) error
}

func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rl, _ := r.Context().Value(logKey).(*reqLog)
		if rl != nil {
			rl.route = rt.method + " " + rt.path
		}
		if rt.upload {
			s.allowUpload(w, r)
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
		}
		var c *caller
		if !rt.public {
			var err error
			if c, err = s.authenticateFull(r); err != nil {
				writeError(w, err)
				return
			}
			if rl != nil {
				rl.tenant, rl.user = c.tenantSlug, c.user.Email
			}
			if !s.limiter(fmt.Sprintf("user:%d", c.user.ID), s.cfg.PerUser).Allow() {
				w.Header().Set("Retry-After", "1")
				writeError(w, errcode.New(errcode.RateLimited, "Too many requests; slow down"))
				return
			}
			if len(rt.roles) > 0 && !slices.Contains(rt.roles, c.user.Role) {
				writeError(w, errcode.New(errcode.PermissionDenied, "Your role may not do this"))
				return
			}
		}
		if err := rt.handle(w, r, c); err != nil {
			s.failure(r, err)
			writeError(w, err)
		}
	})
}

// uploadTime is how long an upload may take to arrive and be imported: the
// server's 30 s read and 60 s write timeouts suit requests, not a gigabyte
// of CSV on a slow link followed by its import.
const uploadTime = time.Hour

// sweepUploads removes what a killed process left in <data>/uploads: any
// upload older than an upload may take (others may belong to a process
// still importing from the same folder).
func (s *Server) sweepUploads() {
	if s.cfg.DataDir == "" {
		return
	}
	dir := filepath.Join(s.cfg.DataDir, "uploads")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > uploadTime {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				s.log.Warn("sweep uploads", "err", err)
			}
		}
	}
}

// allowUpload gives an upload request its own size limit and deadlines.
func (s *Server) allowUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(uploadTime))
	rc.SetWriteDeadline(time.Now().Add(uploadTime))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// failure is err as a page or an answer shows it (its code's message;
// Message and HTTPStatus agree with errcode's): the cause of an internal
// failure, which neither shows, goes to the log here, for every door.
func (s *Server) failure(r *http.Request, err error) *errcode.Error {
	e := errcode.From(err)
	if e.Code == errcode.Internal {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return e
}

// writeError answers with the one error vocabulary; internals stay in the
// log. Details (every problem of a refused import) are part of
// the answer, as in the CLI's --json.
func writeError(w http.ResponseWriter, err error) {
	e := errcode.From(err)
	body := map[string]any{"code": e.Code, "message": e.Message}
	if len(e.Details) > 0 && e.Code != errcode.Internal {
		body["details"] = e.Details
	}
	writeJSON(w, errcode.HTTPStatus(err), map[string]any{"error": body})
}

// decode reads a JSON body strictly.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errcode.New(errcode.Invalid, "The request body is larger than %d bytes", tooBig.Limit)
		}
		return errcode.New(errcode.Invalid, "The request body is not the JSON this route expects: %v", err)
	}
	return nil
}
