package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/web"
)

func serveCommand() *command {
	return &command{name: "serve", summary: "serve the HTTP API until SIGINT or SIGTERM (then shut down gracefully)",
		usage:   "[--addr HOST:PORT] [--tls-cert FILE --tls-key FILE] [--session-idle 30m] [--session-max 12h]",
		example: "scry serve --addr 127.0.0.1:8080\ncurl -s -X POST localhost:8080/api/v1/session -d '{\"tenant\":\"acme-retail\",\"email\":\"admin@acme-retail.example\",\"password\":\"…\"}' -c jar",
		flags: func(fs *flag.FlagSet, c *call) {
			fs.String("addr", firstNonEmpty(c.env.Getenv("SCRY_ADDR"), "127.0.0.1:8080"), "address to listen on (env SCRY_ADDR)")
			fs.String("tls-cert", c.env.Getenv("SCRY_TLS_CERT"), "TLS certificate file (with --tls-key: HTTPS, HSTS, __Host- cookie)")
			fs.String("tls-key", c.env.Getenv("SCRY_TLS_KEY"), "TLS key file")
			fs.Duration("session-idle", 30*time.Minute, "sign a session out after this long without use")
			fs.Duration("session-max", 12*time.Hour, "sign a session out this long after sign-in, whatever its use")
			fs.String("public-url", c.env.Getenv("SCRY_PUBLIC_URL"), "the address people reach scry at, e.g. https://scry.example.com (issuer of app-client tokens; default: from each request) (env SCRY_PUBLIC_URL)")
			fs.String("trusted-proxies", c.env.Getenv("SCRY_TRUSTED_PROXIES"), "comma-separated CIDRs of proxies whose X-Forwarded-For is believed (env SCRY_TRUSTED_PROXIES)")
			fs.Float64("rate-per-ip", 20, "requests per second allowed from one client address (burst twice that); raise it when many people share one address")
			fs.Float64("rate-per-user", 10, "requests per second allowed for one signed-in user (burst twice that)")
			fs.String("max-upload", firstNonEmpty(c.env.Getenv("SCRY_MAX_UPLOAD"), "1GiB"), "largest upload (the HR files), streamed to disk: bytes or with KiB, MiB, GiB (env SCRY_MAX_UPLOAD)")
			ssoKeyFlag(fs, c)
			fs.String("smtp-url", c.env.Getenv("SCRY_SMTP_URL"), "send invitations of users added on /admin/users through smtp://[user:pass@]host:port (default: .eml files in <data>/outbox) (env SCRY_SMTP_URL)")
			fs.Int("workers", 1, "video analyses worked at once by this server (0: none; `scry worker` processes work the queue)")
			fs.Int("ask-per-user", ask.DefaultPerUser, "questions one user may run at once; more wait their turn")
			fs.Int("ask-per-tenant", ask.DefaultPerTenant, "questions one tenant may run at once; more wait their turn")
			fs.Int("ask-total", 0, "questions run at once in all (0: the read pool's size less a quarter, kept for light requests)")
			fs.Duration("ask-timeout", 10*time.Second, "a question (its wait for a turn included) is stopped after this long and answered with the code timeout")
			engineFlags(fs, c)
		},
		run: runServe}
}

func runServe(ctx context.Context, c *call) error {
	idle, _ := time.ParseDuration(c.flag("session-idle"))
	maxAge, _ := time.ParseDuration(c.flag("session-max"))
	if idle <= 0 || maxAge <= 0 {
		return errcode.New(errcode.Invalid, "--session-idle and --session-max must be positive durations such as 30m and 12h (got %s and %s)", idle, maxAge)
	}
	db, log, err := c.openAudit(ctx)
	if err != nil {
		return err
	}
	eng, err := c.engine(db)
	if err != nil {
		return err
	}
	perUser, _ := strconv.Atoi(c.flag("ask-per-user"))
	perTenant, _ := strconv.Atoi(c.flag("ask-per-tenant"))
	total, _ := strconv.Atoi(c.flag("ask-total"))
	timeout, _ := time.ParseDuration(c.flag("ask-timeout"))
	if perUser < 1 || perTenant < 1 || total < 0 || timeout <= 0 {
		return errcode.New(errcode.Invalid, "--ask-per-user and --ask-per-tenant must be at least 1, --ask-total at least 0 and --ask-timeout positive")
	}
	eng.Limits.PerUser, eng.Limits.PerTenant, eng.Limits.Total, eng.Timeout = perUser, perTenant, total, timeout
	if (c.flag("tls-cert") == "") != (c.flag("tls-key") == "") {
		return errcode.New(errcode.Invalid, "--tls-cert and --tls-key go together")
	}
	var proxies []netip.Prefix
	for _, p := range strings.Split(c.flag("trusted-proxies"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pr, err := netip.ParsePrefix(p)
		if err != nil {
			return errcode.New(errcode.Invalid, "--trusted-proxies: %q is not a CIDR such as 10.0.0.0/8", p)
		}
		proxies = append(proxies, pr)
	}
	maxUpload, err := parseSize(c.flag("max-upload"))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.flag("addr"))
	if err != nil {
		return errcode.Wrap(errcode.Invalid, err, "Cannot listen on %s", c.flag("addr"))
	}
	logger := slog.New(slog.NewJSONHandler(c.env.Stderr, nil))
	process := audit.ProcessName("serve")
	srv := web.New(web.Config{Process: process, TLSCert: c.flag("tls-cert"), TLSKey: c.flag("tls-key"), Logger: logger, TrustedProxies: proxies, PublicURL: c.flag("public-url"), DataDir: c.dataDir, Objects: c.objects,
		PerIP: num(c.flag("rate-per-ip")), PerUser: num(c.flag("rate-per-user")), MaxUpload: maxUpload, SMTPURL: c.flag("smtp-url"), SSOKey: c.ssoKey(),
		Sessions: identity.SessionPolicy{Idle: idle, Absolute: maxAge}}, db, log, eng)
	scheme := "http"
	if c.flag("tls-cert") != "" {
		scheme = "https"
	}
	if n, _ := strconv.Atoi(c.flag("workers")); n > 0 {
		stop, err := c.workQueue(ctx, db, n, logger, process)
		if err != nil {
			return err
		}
		// Deferred: after Serve has drained the requests.
		defer stop()
	}
	fmt.Fprintf(c.env.Stdout, "scry is serving %s://%s (Ctrl-C stops it)\n", scheme, ln.Addr())
	return srv.Serve(ctx, ln)
}

// parseSize reads a byte count such as 1GiB, 500MiB or 1048576.
func parseSize(s string) (int64, error) {
	v := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}} {
		if n, ok := strings.CutSuffix(v, u.suffix); ok {
			v, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, errcode.New(errcode.Invalid, "--max-upload: %q is not a size such as 1GiB, 500MiB or 1048576", s)
	}
	return n * mult, nil
}

func num(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }

func workerCommand() *command {
	return &command{name: "worker", summary: "work the video-analysis queue only, until SIGINT or SIGTERM (then hand running analyses back to the queue)",
		usage:   "[--workers 1] [--database-url URL] [--object-store s3://bucket/prefix]",
		example: "scry worker --workers 2 --database-url postgres://scry_app@db/scry --object-store s3://scry/prod",
		flags: func(fs *flag.FlagSet, c *call) {
			fs.Int("workers", 1, "video analyses worked at once by this process")
		},
		run: runWorker}
}

// runWorker works the queue that `scry serve --workers 0` leaves: N of
// them on other machines share river's queue in PostgreSQL and the videos
// in the object store. On SQLite it works the queue of this machine's file.
func runWorker(ctx context.Context, c *call) error {
	n, _ := strconv.Atoi(c.flag("workers"))
	if n < 1 {
		return errcode.New(errcode.Invalid, "--workers must be at least 1")
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	if err := c.objects.Check(ctx); err != nil {
		return errcode.Wrap(errcode.Unavailable, err, "The object store %s does not answer", c.objects)
	}
	logger := slog.New(slog.NewJSONHandler(c.env.Stderr, nil))
	stop, err := c.workQueue(ctx, db, n, logger, audit.ProcessName("worker"))
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "scry is working the analysis queue, %d at a time (Ctrl-C stops it)\n", n)
	<-ctx.Done()
	stop()
	return nil
}
