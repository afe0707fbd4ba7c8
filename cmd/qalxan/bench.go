package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/storage"
)

// intelMQEventsPerSecond is IntelMQ's Shadowserver parser on this kind of
// machine (../shared/samples/MANIFEST.md): the anchor the figures are
// compared with.
const intelMQEventsPerSecond = 2351

func (a *app) benchCommand() *cobra.Command {
	var rows, orgs, days int
	var dir string
	var keep, noFindings, scatter bool
	c := &cobra.Command{
		Use:   "bench",
		Short: "Measure parse and ingest end to end on a generated Shadowserver report",
		Long: "Generate a Shadowserver scan_rdp report of --rows rows whose addresses fall about half in a\n" +
			"generated constituency of --orgs organisations with ten /24 networks each, then run\n" +
			"'qalxan parse' and 'qalxan ingest' on it as child processes and print, for each, the\n" +
			"seconds, events/s, the ratio to IntelMQ's parser (2,351 events/s) and the peak resident\n" +
			"memory. Ingest goes into a new SQLite database in the work directory, or into --db\n" +
			"(use a throwaway PostgreSQL database: the bench adds organisations and events).\n" +
			"With --days N it then ingests the same hosts' reports of the N-1 following days, as\n" +
			"Shadowserver sends them: each day's events are new, while the findings they report are\n" +
			"refreshed rather than opened, which is the steady state of a CERT's daily ingest.\n" +
			"With --no-findings the ingests store events and owners only, as a back-fill does.\n" +
			"The addresses ascend through the report, so consecutive events land near each other in\n" +
			"the indexes; with --scatter they come in a scattered order, as in a real report.",
		Example: "  qalxan bench --rows 1000000\n  qalxan bench --rows 1000000 --scatter --no-findings\n  qalxan bench --rows 1000000 --db postgres://qalxan@localhost/bench",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if rows < 1 || orgs < 1 || orgs > 65536 || days < 1 || days > 31 {
				return usageError{fmt.Errorf("bench: --rows must be at least 1, --orgs 1 to 65536 and --days 1 to 31")}
			}
			work := dir
			if work == "" {
				d, err := os.MkdirTemp("", "qalxan-bench-")
				if err != nil {
					return err
				}
				work = d
				if !keep {
					defer os.RemoveAll(d)
				}
			} else if err := os.MkdirAll(work, 0o750); err != nil {
				return err
			}
			return a.bench(cmd.Context(), work, benchOptions{rows, orgs, days, noFindings, scatter})
		},
	}
	f := c.Flags()
	f.IntVar(&rows, "rows", 1_000_000, "rows in the generated report")
	f.IntVar(&orgs, "orgs", 1000, "organisations in the generated constituency (ten /24s each)")
	f.IntVar(&days, "days", 1, "daily reports of the same hosts to ingest one after another")
	f.StringVar(&dir, "dir", "", "work directory (default: a temporary one, removed afterwards)")
	f.BoolVar(&keep, "keep", false, "keep the temporary work directory")
	f.BoolVar(&noFindings, "no-findings", false, "ingest with --no-findings: events and owners only")
	f.BoolVar(&scatter, "scatter", false, "addresses in a scattered order, not ascending")
	return c
}

// benchOptions are the bench command's flags.
type benchOptions struct {
	rows, orgs, days    int
	noFindings, scatter bool
}

func (a *app) bench(ctx context.Context, work string, o benchOptions) error {
	rows := o.rows
	// The last day is today: the reports are of the days up to it.
	first := time.Now().UTC().AddDate(0, 0, 1-o.days)
	report := benchReportPath(work, first)
	start := time.Now()
	size, err := writeBenchReport(report, rows, first, o.scatter)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "generated %d rows (%.0f MB) in %.1f s: %s\n", rows, float64(size)/1e6, time.Since(start).Seconds(), report)

	dsn := a.db
	if dsn == "" {
		dsn = filepath.Join(work, "qalxan.db")
	}
	ingestArgs := []string{"--data-dir", work, "--db", dsn}
	if o.noFindings {
		ingestArgs = append(ingestArgs, "--no-findings")
	}
	if err := benchConstituency(ctx, dsn, o.orgs); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%-8s %10s %8s %12s %9s %12s %11s\n", "step", "rows", "seconds", "events/s", "×IntelMQ", "peak RSS MB", "written MB")
	for _, step := range []struct {
		name string
		args []string
	}{
		{"parse", []string{"parse", "--feed", "shadowserver", report}},
		{"ingest", append(append([]string{"ingest"}, ingestArgs...), "--feed", "shadowserver", report)},
	} {
		m, err := runMeasured(ctx, self, step.args, a.stderr)
		if err != nil {
			return fmt.Errorf("bench: %s: %w", step.name, err)
		}
		printBenchStep(a.stdout, step.name, rows, m)
	}
	for d := 1; d < o.days; d++ {
		day := first.AddDate(0, 0, d)
		next := benchReportPath(work, day)
		if _, err := writeBenchReport(next, rows, day, o.scatter); err != nil {
			return err
		}
		m, err := runMeasured(ctx, self, append(append([]string{"ingest"}, ingestArgs...), "--feed", "shadowserver", next), a.stderr)
		if err != nil {
			return fmt.Errorf("bench: ingest day %d: %w", d+1, err)
		}
		printBenchStep(a.stdout, fmt.Sprintf("day %d", d+1), rows, m)
		if err := os.Remove(next); err != nil {
			return err
		}
	}
	return nil
}

func benchReportPath(work string, day time.Time) string {
	return filepath.Join(work, day.Format("2006-01-02")+"-scan_rdp-az-geo.csv")
}

func printBenchStep(w io.Writer, name string, rows int, m measured) {
	rate := float64(rows) / m.seconds
	fmt.Fprintf(w, "%-8s %10d %8.2f %12.0f %9.1f %12.0f %11.0f\n", name, rows, m.seconds, rate, rate/intelMQEventsPerSecond,
		float64(m.peakRSS)/(1<<20), float64(m.written)/(1<<20))
}

// benchConstituency stores orgs organisations owning ten /24s each:
// 10.0.0.0/24 upwards, 10k networks for the default 1,000.
func benchConstituency(ctx context.Context, dsn string, orgs int) error {
	s, err := storage.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	list := make([]constituency.Org, orgs)
	for i := range list {
		o := constituency.Org{ShortName: fmt.Sprintf("bench%05d", i), Name: fmt.Sprintf("Bench organisation %d", i),
			Sector: "government", Language: "az", TLP: "amber"}
		for j := range 10 {
			n := i*10 + j
			o.Resources = append(o.Resources, constituency.Resource{Value: fmt.Sprintf("10.%d.%d.0/24", n>>8, n&255)})
		}
		list[i] = o
	}
	_, err = s.ImportOrgs(ctx, auth.Actor{Name: "bench", Role: auth.Admin, Scope: auth.Everything}, list)
	return err
}

// writeBenchReport writes a scan_rdp report of n rows seen on day, with
// the addresses of benchAddress.
func writeBenchReport(path string, n int, day time.Time, scatter bool) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	io.WriteString(w, benchHeader)
	date := day.Format("2006-01-02")
	for i := range n {
		ip := benchAddress(i, scatter)
		fmt.Fprintf(w, `"%s %02d:%02d:%02d","%d.%d.%d.%d",3389,,"rdp",,64500,"AZ","BAKI","BAKU","RDP",2048,"HOST%d.local","HOST%d.local",`+
			`"2026-04-29 02:22:06","2027-04-29 02:22:06","EC:BB:4D:DB:9F:0C:D3:FF:5B:49:EA:B1:56:62:B6:A7:5D:60:54:42","1EF2B37AF850C9BF4E88F18177001D6B",2,`+
			`"sha256WithRSAEncryption","rsaEncryption","B7:C9:F4:07:D5:C0:75:1D:EA:0C:40:E7:26:39:C2:30:C6:13:83:7E:18:46:D8:E9:4C:45:3F:88:1B:0B:70:76",`+
			`"08:AC:75:FA:EB:A3:2B:44:15:DE:6D:A7:0B:C0:AE:17:94:F3:55:D9:EC:70:AC:5B:B7:94:79:F0:D7:84:83:89:CB:A9:11:E0:08:D7:54:4D:33:85:89:D2:A8:DD:9D:15:F4:CC:95:DE:6A:E3:DF:6B:FA:8B:27:E3:DA:16:AF:0A",`+
			`"BC:6E:C3:E2:98:22:EC:BA:5B:30:E2:53:FD:4A:9D:FF",517311,0,"Government",,,"N","N"`+"\n",
			date, i/3600%24, i/60%60, i%60, ip>>24, ip>>16&255, ip>>8&255, ip&255, i, i)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, err
	}
	return st.Size(), f.Close()
}

// benchAddresses is how many distinct addresses the reports use:
// 10.0.0.0–10.77.255.255. The default constituency holds
// 10.0.0.0–10.39.15.255, about half of them.
const benchAddresses = 78 << 16

// benchAddress is row i's address: the i-th multiple of a step modulo
// benchAddresses, so the first 5.1M rows are distinct events. A step of
// 53 makes them ascend through each stretch of rows, so that a batch's
// events land near each other in the address and owner indexes; a real
// report's addresses come in no such order, which scatter gives with a
// step of Knuth's multiplicative hash. Both steps are prime to
// 78·2¹⁶ = 2¹⁷·3·13.
func benchAddress(i int, scatter bool) uint32 {
	step := uint64(53)
	if scatter {
		step = 2654435761
	}
	return 10<<24 + uint32(uint64(i)*step%benchAddresses)
}

const benchHeader = `"timestamp","ip","port","hostname","tag","handshake","asn","geo","region","city","rdp_protocol","cert_length","subject_common_name","issuer_common_name","cert_issue_date","cert_expiration_date","sha1_fingerprint","cert_serial_number","ssl_version","signature_algorithm","key_algorithm","sha256_fingerprint","sha512_fingerprint","md5_fingerprint","naics","sic","sector","tlsv13_support","tlsv13_cipher","cve20190708_vulnerable","bluekeep_vulnerable","jarm"` + "\n"

// measured is what a step cost: wall seconds, peak resident set and the
// bytes it wrote to storage (the WAL, then the database, for an ingest).
type measured struct {
	seconds          float64
	peakRSS, written int64
}

// drain empties r, a pipe from the step measured: spliced into
// /dev/null where the kernel can (discardPipe), else read in reads of a
// megabyte, the size of the pipe parse asks for. io.Discard reads 8 KB at
// a time: on these two cores its system calls cost the reader a second
// of CPU per million events (3.2 GB of JSON), which parse then lacked.
func drain(r io.Reader) error {
	if handled, err := discardPipe(r); handled {
		return err
	}
	buf := make([]byte, 1<<20)
	for {
		if _, err := r.Read(buf); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// runMeasured runs the binary with args, reading its standard output
// through a pipe as a consumer would, and measures it.
func runMeasured(ctx context.Context, bin string, args []string, stderr io.Writer) (measured, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return measured{}, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measured{}, err
	}
	err = drain(out)
	var m measured
	if werr := cmd.Wait(); werr != nil || err != nil {
		return m, errors.Join(werr, err)
	}
	m.seconds = time.Since(start).Seconds()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.peakRSS = ru.Maxrss * 1024 // kilobytes on Linux
		m.written = ru.Oublock * 512 // blocks of 512 bytes
	}
	return m, nil
}
