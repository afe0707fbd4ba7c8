package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	_ "github.com/qalxan/qalxan/internal/feed/all" // the feed catalogue
)

func (a *app) parseCommand() *cobra.Command {
	var feedName, reportType, fileName, observed string
	c := &cobra.Command{
		Use:   "parse [FILE|-]",
		Short: "Parse a feed report and write its events as JSON Lines (no store needed)",
		Long: "Parse a report (FILE, or standard input for '-' or none) with a feed's parser and write one\n" +
			"JSON event per line to standard output. Nothing is stored. Rows that give no event are\n" +
			"reported on standard error with their line numbers; the rest of the report is parsed.\n" +
			"The exit status is 0 when the report was read, even if some rows were bad, and 1 when it\n" +
			"could not be parsed at all or no row gave an event.\n\n" +
			"Without --feed the feed is recognised from the file name and first bytes.",
		Example: "  qalxan parse --feed shadowserver 2026-11-20-scan_rdp-az-geo.csv\n" +
			"  zcat report.csv.gz | qalxan parse --feed shadowserver --report scan_rdp -",
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			setGCPercent(gcParse)
			if err := a.useFeedData(cmd); err != nil {
				return err
			}
			name := "-"
			if len(args) == 1 {
				name = args[0]
			}
			in, closeIn, err := a.openReport(name)
			if err != nil {
				return err
			}
			defer closeIn()
			rep := feed.Report{FileName: fileName, Type: reportType, Observed: time.Now().UTC().Truncate(time.Second)}
			if rep.FileName == "" && name != "-" {
				rep.FileName = filepath.Base(name)
			}
			if observed != "" {
				if rep.Observed, err = event.ParseTime(observed); err != nil {
					return usageError{fmt.Errorf("parse: --observed %q: %w", observed, err)}
				}
			}
			br := bufio.NewReaderSize(in, 64<<10)
			spec, err := a.pickFeed(feedName, rep.FileName, br)
			if err != nil {
				return err
			}
			rep.OnBad = func(b feed.BadRow) {
				fmt.Fprintf(a.stderr, "%s:%d: %s\n", displayName(name), b.Line, b.Reason)
			}
			growPipe(a.stdout)
			out := newEventWriter(a.stdout)
			st, err := spec.Parser.Parse(cmd.Context(), br, rep, out.Emit)
			if werr := out.Close(); werr != nil {
				err = werr // the cause; the parser saw only errWriterFailed
			}
			if err != nil {
				return fmt.Errorf("%s: %w", displayName(name), err)
			}
			fmt.Fprintf(a.stderr, "%s: %d rows, %d events, %d bad rows\n", displayName(name), st.Rows, st.Events, st.Bad)
			if st.Events == 0 && st.Bad > 0 {
				return errs.E(errs.Invalid, "%s: no row gave an event", displayName(name))
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&feedName, "feed", "", "feed name (see 'qalxan feeds'); default: recognised from the file")
	f.StringVar(&reportType, "report", "", "report type within the feed (e.g. scan_rdp for shadowserver); default: from the file name")
	f.StringVar(&fileName, "file-name", "", "the report's original file name, when reading standard input")
	f.StringVar(&observed, "observed", "", "time.observation for the events (default now)")
	return c
}

// pickFeed returns the named feed, or recognises it from the report.
func (a *app) pickFeed(name, fileName string, br *bufio.Reader) (feed.Spec, error) {
	if name != "" {
		return feed.Lookup(name)
	}
	head, _ := br.Peek(4096)
	return feed.Detect(fileName, head)
}

// openReport opens a report file, or standard input for "-"; it streams,
// so a report of any size is fine.
func (a *app) openReport(name string) (io.Reader, func(), error) {
	if name == "-" {
		return a.stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func displayName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}

func maxArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := cobra.MaximumNArgs(n)(c, args); err != nil {
			return usageError{fmt.Errorf("%s: %w", c.CommandPath(), err)}
		}
		return nil
	}
}

// eventWriter writes events as JSON Lines. Emit encodes each event into
// the current batch of bytes right away (the parser reuses its event, and
// encoding it costs about what copying its fields would, without the
// copy's pointer writes that the garbage collector must track); a
// goroutine of its own writes full batches, so the write system calls
// overlap parsing. Batches are reused: memory is a few of them whatever
// the report's size.
type eventWriter struct {
	w      *bufio.Writer
	full   chan []byte   // batches to write, in order
	free   chan []byte   // written batches, for reuse
	batch  []byte        // the batch being filled by Emit
	done   chan struct{} // closed when the goroutine has finished
	err    error         // the first write error; read after done
	failed atomic.Bool   // err is set: Emit stops the parse
}

const (
	writerBatch   = 256 << 10 // bytes: about a hundred Shadowserver events with raw
	writerBatches = 4
)

// errWriterFailed stops the parser; Close returns the real error.
var errWriterFailed = errors.New("output failed")

func newEventWriter(w io.Writer) *eventWriter {
	ew := &eventWriter{
		// Full batches go straight to w (bufio.Writer does not copy a
		// write at least as large as its buffer); the buffer gathers
		// only the last, partial one.
		w:    bufio.NewWriterSize(w, 64<<10),
		full: make(chan []byte, writerBatches),
		free: make(chan []byte, writerBatches),
		done: make(chan struct{}),
	}
	for range writerBatches - 1 {
		ew.free <- make([]byte, 0, writerBatch+writerBatch/4)
	}
	ew.batch = make([]byte, 0, writerBatch+writerBatch/4)
	go ew.run()
	return ew
}

func (ew *eventWriter) run() {
	defer close(ew.done)
	for b := range ew.full {
		if ew.err == nil { // after an error, keep draining so the parser never blocks
			if _, err := ew.w.Write(b); err != nil {
				ew.err = err
				ew.failed.Store(true)
			}
		}
		ew.free <- b[:0]
	}
	if ew.err == nil {
		ew.err = ew.w.Flush()
	}
}

// Emit encodes e into the current batch (feed.Emit: e is the parser's
// and is reused after the call).
func (ew *eventWriter) Emit(e *event.Event) error {
	if ew.failed.Load() {
		return errWriterFailed
	}
	ew.batch = append(e.AppendJSON(ew.batch), '\n')
	if len(ew.batch) >= writerBatch {
		ew.full <- ew.batch
		ew.batch = <-ew.free
	}
	return nil
}

// Close writes what is left and waits for the writer; it returns the
// first write error.
func (ew *eventWriter) Close() error {
	if len(ew.batch) > 0 {
		ew.full <- ew.batch
	}
	close(ew.full)
	<-ew.done
	return ew.err
}
