package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/monitor"
)

// checkJSON is one line of check --json: the result with what the check
// is and what to do, in English.
type checkJSON struct {
	Target string `json:"target"`
	monitor.Result
	Title       string `json:"title"`
	Remediation string `json:"remediation,omitempty"`
}

func (a *app) checkCommand() *cobra.Command {
	var resolver, ports string
	var roots []string
	var smtpPort int
	var timeout time.Duration
	var asJSON bool
	c := &cobra.Command{
		Use:   "check TARGET",
		Short: "Run every monitoring check against one URL, domain or address now",
		Long: "Run the monitoring checks (HTTPS and certificate, security headers, mail and DNS,\n" +
			"exposed files, risky ports) against TARGET and print one line per check. TARGET is a\n" +
			"URL (https://127.0.0.1:8443/: its web origin), a domain (web, mail and DNS) or an address.\n" +
			"Exit code 0 when every check passes, 1 when gaps are found, 2 on error.\n" +
			"Defaults come from the monitor: section of the configuration.",
		Example: "  qalxan check https://portal.gov.az/\n" +
			"  qalxan check mincom.gov.az --resolver 10.0.0.53:53 --json",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config(cmd)
			if err != nil {
				return err
			}
			set := cfg.Monitor
			fl := cmd.Flags()
			if fl.Changed("resolver") {
				set.Resolver = resolver
			}
			if fl.Changed("ca") {
				set.ExtraRoots = roots
			}
			if fl.Changed("ports") {
				if set.Ports, err = monitor.ParsePorts(ports); err != nil {
					return usageError{fmt.Errorf("check: --ports: %w", err)}
				}
				if set.Ports == nil {
					set.Ports = []monitor.Port{}
				}
			}
			if fl.Changed("smtp-port") {
				set.SMTPPort = smtpPort
			}
			if fl.Changed("timeout") {
				set.Timeout = timeout
			}
			target, err := monitor.ParseTarget(args[0])
			if err != nil {
				return usageError{fmt.Errorf("check: %w", err)}
			}
			checker, err := monitor.New(set)
			if err != nil {
				return usageError{fmt.Errorf("check: %w", err)}
			}
			rep := checker.Run(cmd.Context(), target)
			if err := a.printReport(rep, asJSON); err != nil {
				return err
			}
			return checkOutcome(rep)
		},
	}
	fl := c.Flags()
	fl.StringVar(&resolver, "resolver", "", "DNS server HOST:PORT for every lookup (default: monitor.resolver, else /etc/resolv.conf)")
	fl.StringSliceVar(&roots, "ca", nil, "PEM file of a CA to trust besides the system's (repeatable)")
	fl.StringVar(&ports, "ports", "", `risky ports to probe, "3389/rdp,445/smb" ("" for none; default: monitor.ports, else the catalogue's)`)
	fl.IntVar(&smtpPort, "smtp-port", 25, "port MX hosts are asked for STARTTLS on")
	fl.DurationVar(&timeout, "timeout", 10*time.Second, "limit of each network step")
	fl.BoolVar(&asJSON, "json", false, "one JSON object per check")
	return c
}

// checkOutcome is the exit status of a check: gaps are exit 1 (a plain
// error), errors without gaps exit 2 (usageError carries code 2).
func checkOutcome(rep monitor.Report) error {
	fails, errs := rep.Count(monitor.Fail), rep.Count(monitor.Error)
	switch {
	case fails > 0:
		return fmt.Errorf("check: %d gaps found on %s", fails, rep.Target)
	case errs > 0:
		return usageError{fmt.Errorf("check: %d checks could not run on %s", errs, rep.Target)}
	}
	return nil
}

func (a *app) printReport(rep monitor.Report, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		for _, r := range rep.Results {
			ch, _ := monitor.Lookup(r.Check)
			line := checkJSON{Target: rep.Target, Result: r, Title: ch.TitleIn("en")}
			if r.Status == monitor.Fail {
				line.Remediation = ch.RemediationIn("en")
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tSEVERITY\tCHECK\tEVIDENCE")
	for _, r := range rep.Results {
		id := r.Check
		if r.Instance != "" {
			id += "/" + r.Instance
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", strings.ToUpper(string(r.Status)), r.Severity, id, r.Evidence)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	grade := "no web site"
	if rep.Score >= 0 {
		grade = fmt.Sprintf("header score %d (%s)", rep.Score, rep.Grade)
	}
	_, err := fmt.Fprintf(a.stdout, "%s: %d pass, %d fail, %d error, %d skipped; %s; %s\n", rep.Target, rep.Count(monitor.Pass),
		rep.Count(monitor.Fail), rep.Count(monitor.Error), rep.Count(monitor.Skipped), grade, rep.Duration.Round(time.Millisecond))
	return err
}
