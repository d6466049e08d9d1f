// Package cli is scry's command tree: it parses flags, wires the packages
// together and prints text or JSON. Every command has --help with an example.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"sort"
	"strings"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
)

// Env is what the program gets from the outside world, so tests can run it
// in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// OSEnv is the real process environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

type command struct {
	name    string
	summary string
	usage   string // arguments after the command path
	example string
	flags   func(fs *flag.FlagSet, c *call)
	run     func(ctx context.Context, c *call) error
	subs    []*command
}

// call is one invocation: parsed flags, arguments and lazily opened state.
type call struct {
	env     Env
	path    string
	fs      *flag.FlagSet
	args    []string
	json    bool
	dataDir string
	dbURL   string
	migURL  string
	keyFile string // --audit-key: the audit signing key outside the data folder
	objSpec string // --object-store: "" = the data folder
	objects objstore.Store
	db      *store.DB
	log     *audit.Log
}

// Run executes the command line args (without the program name) and returns
// the process exit status.
func Run(ctx context.Context, args []string, env Env) int {
	root := commands()
	cmd, path, rest := root, "scry", args
	for len(rest) > 0 && len(cmd.subs) > 0 {
		next := find(cmd.subs, rest[0])
		if next == nil {
			break
		}
		cmd, path, rest = next, path+" "+next.name, rest[1:]
	}
	c := &call{env: env, path: path}
	if cmd.run == nil {
		if len(rest) == 0 || containsHelp(rest) {
			printHelp(env.Stdout, cmd, path)
			return 0
		}
		return c.fail(errcode.New(errcode.Invalid, "Unknown command %q; `%s --help` lists the commands", path+" "+rest[0], path))
	}
	fs := flag.NewFlagSet(path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.fs = fs
	fs.BoolVar(&c.json, "json", false, "print exactly one JSON document on stdout")
	fs.StringVar(&c.dataDir, "data", firstNonEmpty(env.Getenv("SCRY_DATA"), "./scry-data"), "data folder (env SCRY_DATA)")
	fs.StringVar(&c.dbURL, "database-url", env.Getenv("SCRY_DATABASE_URL"), "PostgreSQL URL of the application role; empty = embedded SQLite (env SCRY_DATABASE_URL)")
	fs.StringVar(&c.migURL, "migrate-database-url", env.Getenv("SCRY_MIGRATE_DATABASE_URL"), "PostgreSQL URL of the owner role that runs migrations (env SCRY_MIGRATE_DATABASE_URL)")
	fs.StringVar(&c.objSpec, "object-store", env.Getenv("SCRY_OBJECT_STORE"), "where videos, frames and audit heads are kept: s3://bucket/prefix (endpoint and credentials from AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); empty = the data folder (env SCRY_OBJECT_STORE)")
	fs.StringVar(&c.keyFile, "audit-key", env.Getenv("SCRY_AUDIT_KEY"), "file of the audit signing key, kept outside the data folder; empty = <data>/audit/signing.key (env SCRY_AUDIT_KEY)")
	if cmd.flags != nil {
		cmd.flags(fs, c)
	}
	if containsHelp(rest) {
		printHelp(env.Stdout, cmd, path)
		printFlags(env.Stdout, fs)
		return 0
	}
	positional, err := parseInterspersed(fs, rest)
	if err != nil {
		return c.fail(errcode.New(errcode.Invalid, "%s (see `%s --help`)", strings.TrimSuffix(err.Error(), "\n"), path))
	}
	c.args = positional
	if c.objects, err = objstore.Open(c.objSpec, c.dataDir, env.Getenv); err != nil {
		return c.fail(errcode.Wrap(errcode.Invalid, err, "--object-store: %v", err))
	}
	defer c.close()
	if err := cmd.run(ctx, c); err != nil {
		if _, printed := err.(silent); !printed {
			err = errcode.Interrupted(ctx, err) // Ctrl-C, SIGTERM
		}
		return c.fail(err)
	}
	return 0
}

func containsHelp(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" || a == "help" {
			return true
		}
	}
	return false
}

func find(cmds []*command, name string) *command {
	for _, c := range cmds {
		if c.name == name {
			return c
		}
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseInterspersed lets flags come before, between or after arguments, as
// in `scry tenant create acme --name "Acme"`. A lone "--" ends flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func printHelp(w io.Writer, cmd *command, path string) {
	fmt.Fprintf(w, "%s — %s\n\nUsage:\n  %s", path, cmd.summary, path)
	if len(cmd.subs) > 0 {
		fmt.Fprintf(w, " <command>\n\nCommands:\n")
		subs := append([]*command(nil), cmd.subs...)
		sort.Slice(subs, func(i, j int) bool { return subs[i].name < subs[j].name })
		for _, s := range subs {
			fmt.Fprintf(w, "  %-10s %s\n", s.name, s.summary)
		}
		fmt.Fprintf(w, "\nRun `%s <command> --help` for the flags and an example of each.\n", path)
		return
	}
	if cmd.usage != "" {
		fmt.Fprintf(w, " %s", cmd.usage)
	}
	fmt.Fprintln(w)
	if cmd.example != "" {
		fmt.Fprintf(w, "\nExample:\n")
		for _, l := range strings.Split(strings.TrimSpace(cmd.example), "\n") {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

func printFlags(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		def := ""
		if f.DefValue != "" && f.DefValue != "false" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  --%-22s %s%s\n", f.Name, f.Usage, def)
	})
	fmt.Fprintf(w, "\nExit status: 0 success, 2 refused or invalid, 1 anything else.\n")
}

// open returns the store, opening (and migrating) it on first use.
func (c *call) open(ctx context.Context) (*store.DB, error) {
	if c.db != nil {
		return c.db, nil
	}
	db, err := store.Open(ctx, store.Config{DataDir: c.dataDir, DatabaseURL: c.dbURL, MigrateURL: c.migURL,
		AppRole: c.env.Getenv("SCRY_APP_ROLE")})
	if err != nil {
		return nil, err
	}
	c.db = db
	return db, nil
}

// audit returns the audit log of the data folder.
func (c *call) audit() (*audit.Log, error) {
	if c.log != nil {
		return c.log, nil
	}
	l, err := audit.OpenKey(c.objects, c.dataDir, c.keyFile)
	if err != nil {
		return nil, err
	}
	c.log = l
	return l, nil
}

func (c *call) close() {
	if c.db != nil {
		c.db.Close()
	}
}

// actor names who acts from the command line, for the audit log.
func (c *call) actor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}

// out prints v as JSON with --json, else the text that text() writes.
func (c *call) out(v any, text func(w io.Writer)) error {
	if c.json {
		enc := json.NewEncoder(c.env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	text(c.env.Stdout)
	return nil
}

type jsonError struct {
	Code    errcode.Code `json:"code"`
	Message string       `json:"message"`
	Details []string     `json:"details,omitempty"`
}

// fail prints err for a person (stderr) or a script (--json, stdout) and
// returns the exit status. Internal causes go to stderr as a log line only.
func (c *call) fail(err error) int {
	if s, ok := err.(silent); ok {
		return s.code
	}
	e := errcode.From(err)
	switch {
	case e.Code == errcode.Internal:
		fmt.Fprintf(c.env.Stderr, "scry: internal error in %s: %v\n", c.path, err)
	case e.Code == errcode.Canceled && !errors.Is(err, context.Canceled) && errcode.From(e.Err).Code == errcode.Internal:
		// stopped, and the step that noticed failed in a way of its own (a
		// shutdown past its deadline, a failure racing the Ctrl-C): the
		// cause, as for an internal error
		fmt.Fprintf(c.env.Stderr, "scry: %s stopped: %v\n", c.path, e.Err)
	}
	if c.json {
		json.NewEncoder(c.env.Stdout).Encode(map[string]any{"error": jsonError{e.Code, e.Message, e.Details}})
	} else {
		fmt.Fprintf(c.env.Stderr, "scry: %s\n", e.Message)
		for _, d := range e.Details {
			fmt.Fprintf(c.env.Stderr, "  %s\n", d)
		}
	}
	return errcode.ExitStatus(err)
}

// need checks the number of positional arguments.
func (c *call) need(n int, what string) error {
	if len(c.args) != n {
		return errcode.New(errcode.Invalid, "%s needs %s (see `%s --help`)", c.path, what, c.path)
	}
	return nil
}
