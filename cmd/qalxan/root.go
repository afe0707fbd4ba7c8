package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
)

// app carries what every command shares: its streams and the configuration
// built from the persistent flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string

	configPath string
	dataDir    string
	db         string
	logLevel   string
}

// usageError marks bad command-line use: exit code 2 rather than 1.
type usageError struct{ error }

// run executes the command line and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	root := a.rootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "qalxan: %s\n", oneLine(err))
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// oneLine gives the error as one line: the coded message when there is one.
func oneLine(err error) string {
	msg := err.Error()
	if errs.CodeOf(err) != errs.Internal {
		msg = errs.Message(err)
		var e *errs.Error
		if errors.As(err, &e) && e.Err != nil {
			msg += ": " + e.Err.Error()
		}
	}
	return strings.Join(strings.Fields(msg), " ")
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "qalxan",
		Short:         "Qalxan: national CSIRT operations platform",
		Long:          "Qalxan takes in threat feeds, finds the owner of each event in the constituency,\ntracks security gaps to their fix, runs incident cases and shares with partner CERTs.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%s: %w (see '%s --help')", c.CommandPath(), err, c.CommandPath())}
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "configuration file (YAML); also QALXAN_CONFIG")
	pf.StringVar(&a.dataDir, "data-dir", "", "data directory (default ./qalxan-data); also QALXAN_DATA_DIR")
	pf.StringVar(&a.db, "db", "", "database DSN: an SQLite file path or postgres://...; also QALXAN_DB")
	pf.StringVar(&a.logLevel, "log-level", "", "debug, info, warn or error; also QALXAN_LOG_LEVEL")
	root.AddCommand(
		a.serveCommand(),
		a.benchCommand(),
		a.demoCommand(),
		a.migrateCommand(),
		a.userCommand(),
		a.orgCommand(),
		a.withConfiguredFeeds(a.parseCommand()),
		a.withConfiguredFeeds(a.ingestCommand()),
		a.withConfiguredFeeds(a.feedsCommand()),
		a.collectCommand(),
		a.reportsCommand(),
		a.reportCommand(),
		a.reprocessCommand(),
		a.findingsCommand(),
		a.incidentCommand(),
		a.checkCommand(),
		a.monitorCommand(),
		a.notifyCommand(),
		a.lookalikeCommand(),
		a.versionCommand(),
	)
	return root
}

// noArgs and exactArgs wrap cobra's checks as usage errors.
func exactArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(c, args); err != nil {
			return usageError{fmt.Errorf("%s: %w", c.CommandPath(), err)}
		}
		return nil
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := cobra.MinimumNArgs(n)(c, args); err != nil {
			return usageError{fmt.Errorf("%s: %w", c.CommandPath(), err)}
		}
		return nil
	}
}

// config builds the effective configuration: defaults, file, environment,
// then those flags of cmd that the user set.
func (a *app) config(cmd *cobra.Command) (config.Config, error) {
	path := a.configPath
	if path == "" {
		path = a.getenv("QALXAN_CONFIG")
	}
	c, err := config.Load(path, a.getenv)
	if err != nil {
		return c, err
	}
	flagKeys := map[string]string{"data-dir": "data_dir", "db": "db", "log-level": "log_level", "addr": "addr"}
	var ferr error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if key, ok := flagKeys[f.Name]; ok && ferr == nil {
			ferr = c.Set(key, f.Value.String())
		}
	})
	if ferr != nil {
		return c, ferr
	}
	return c, c.Validate()
}

// logger returns the process logger, writing to stderr.
func (a *app) logger(c config.Config) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(a.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(a.stderr, opts))
}

// openStore opens (and migrates) the configured database.
func (a *app) openStore(cmd *cobra.Command) (*storage.Store, config.Config, error) {
	c, err := a.config(cmd)
	if err != nil {
		return nil, c, err
	}
	s, err := storage.Open(cmd.Context(), c.DSN())
	return s, c, err
}
