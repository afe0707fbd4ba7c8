package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/tlp"
)

func (a *app) incidentCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "incident",
		Short: "List, show and open incidents",
		Long: "Incidents are the cases the CERT works, from a report to closure. Severity comes from the\n" +
			"criteria (incidents.severity in the configuration); the playbook of the classification\n" +
			"gives the first tasks. The web interface and the API do the rest of the work on them.",
		Args: exactArgs(0),
	}
	c.AddCommand(a.incidentListCommand(), a.incidentShowCommand(), a.incidentCreateCommand())
	c.AddCommand(a.incidentPurgePersonalCommand())
	return c
}

func (a *app) incidentListCommand() *cobra.Command {
	var status, severity, org, identifier, observable string
	var asJSON, personal bool
	var limit int
	c := &cobra.Command{
		Use:   "list",
		Short: "List incidents, newest first",
		Example: "  qalxan incident list --status open --severity critical,high\n" +
			"  qalxan incident list --observable phone:0501234567 --json",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, c, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			rules, err := c.IncidentRules()
			if err != nil {
				return err
			}
			f := storage.IncidentFilter{Identifier: identifier, Limit: limit}
			for _, v := range splitList(status) {
				if v == "open" {
					f.Open = true
					continue
				}
				st, err := incident.ParseStatus(v)
				if err != nil {
					return usageError{fmt.Errorf("incident list: --status: %s", oneLine(err))}
				}
				f.Statuses = append(f.Statuses, st)
			}
			for _, v := range splitList(severity) {
				sev, err := incident.ParseSeverity(v)
				if err != nil {
					return usageError{fmt.Errorf("incident list: --severity: %s", oneLine(err))}
				}
				f.Severity = append(f.Severity, sev)
			}
			if org != "" {
				o, err := s.GetOrgByShortName(cmd.Context(), auth.Everything, org)
				if err != nil {
					return usageError{fmt.Errorf("incident list: --org: %s", oneLine(err))}
				}
				f.OrgID = o.ID
			}
			if observable != "" {
				k, v, ok := strings.Cut(observable, ":")
				kind, err := incident.ParseKind(k)
				if !ok || err != nil {
					return usageError{fmt.Errorf("incident list: --observable: want KIND:VALUE, such as phone:0501234567")}
				}
				f.ObservableKind, f.ObservableValue = kind, v
			}
			ins, _, err := s.ListIncidents(cmd.Context(), auth.Everything, rules, f)
			if err != nil {
				return err
			}
			if err := personalIncidents(cmd.Context(), s, personal, ins); err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				for _, in := range ins {
					if err := enc.Encode(in); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "REFERENCE\tSEVERITY\tSTATUS\tCLASSIFICATION\tTLP\tORGS\tASSIGNEE\tDUE\tTITLE")
			for _, in := range ins {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", in.Ref, in.Severity, in.Status, in.Classification, in.TLP,
					strings.Join(in.Orgs, ","), in.Assignee, dateOrEmpty(in.DueAt), in.Title)
			}
			return tw.Flush()
		},
	}
	fl := c.Flags()
	fl.StringVar(&status, "status", "", "only these statuses, comma-separated (open = new, triage, in_progress, contained)")
	fl.StringVar(&severity, "severity", "", "only these severities, comma-separated (critical, high, medium, low)")
	fl.StringVar(&org, "org", "", "only incidents affecting this organisation (short name)")
	fl.StringVar(&identifier, "identifier", "", "only this classification identifier (vishing, phishing, ...)")
	fl.StringVar(&observable, "observable", "", "only incidents naming KIND:VALUE (phone:0501234567, url:..., domain:...)")
	fl.IntVar(&limit, "limit", 100, "at most this many (up to 1000)")
	fl.BoolVar(&asJSON, "json", false, "one JSON object per line")
	fl.BoolVar(&personal, "personal", false, personalFlagHelp)
	return c
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (a *app) incidentShowCommand() *cobra.Command {
	var asJSON, personal bool
	c := &cobra.Command{
		Use:     "show REFERENCE|ID",
		Short:   "Show an incident: severity and its criteria, tasks, observables, journal",
		Example: "  qalxan incident show QLX-2026-000123",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, c, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			rules, err := c.IncidentRules()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			var in *incident.Incident
			if id, perr := strconv.ParseInt(args[0], 10, 64); perr == nil {
				in, err = s.GetIncident(ctx, auth.Everything, rules, id)
			} else {
				in, err = s.GetIncidentByRef(ctx, auth.Everything, rules, args[0])
			}
			if err != nil {
				return err
			}
			tasks, err := s.IncidentTasks(ctx, auth.Everything, in.ID)
			if err != nil {
				return err
			}
			obs, err := s.IncidentObservables(ctx, auth.Everything, in.ID)
			if err != nil {
				return err
			}
			journal, err := s.IncidentJournal(ctx, auth.Everything, in.ID)
			if err != nil {
				return err
			}
			if err := personalDetail(ctx, s, personal, in, obs, journal); err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(struct {
					*incident.Incident
					Tasks       []incident.Task       `json:"tasks"`
					Observables []incident.Observable `json:"observables"`
					Journal     []incident.Entry      `json:"journal"`
				}{in, tasks, obs, journal})
			}
			w := a.stdout
			fmt.Fprintf(w, "%s  %s\n", in.Ref, in.Title)
			fmt.Fprintf(w, "status %s · severity %s (score %d", in.Status, in.Severity, in.Assessed.Score)
			if in.Overridden() {
				fmt.Fprintf(w, "; criteria say %s; overridden: %s", in.Assessed.Severity, in.SeverityReason)
			}
			fmt.Fprintf(w, ") · %s · %s · %s\n", in.Classification, in.TLP, in.PAP)
			fmt.Fprintf(w, "organisations %s · team %s · assignee %s · due %s\n", strings.Join(in.Orgs, ", "), in.OwnerTeam, orDash(in.Assignee), orDash(dateOrEmpty(in.DueAt)))
			if in.Description != "" {
				fmt.Fprintf(w, "\n%s\n", in.Description)
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "\nCRITERION\tVALUE\tPOINTS")
			for _, l := range in.Assessed.Lines {
				fmt.Fprintf(tw, "%s\t%s\t%d\n", l.Criterion, l.Value, l.Points)
			}
			fmt.Fprintln(tw, "\nTASK\tSTATUS\tASSIGNEE\tDUE")
			for _, t := range tasks {
				fmt.Fprintf(tw, "%d. %s\t%s\t%s\t%s\n", t.Position, t.Title, t.Status, orDash(t.Assignee), orDash(dateOrEmpty(t.DueAt)))
			}
			fmt.Fprintln(tw, "\nOBSERVABLE\tVALUE\tTLP\tOTHER INCIDENTS")
			for _, o := range obs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", o.Kind, o.Value, o.TLP, o.Elsewhere)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(w, "\nJOURNAL")
			for _, e := range journal {
				fmt.Fprintf(w, "%s  %-10s %-10s %s\n", e.At.Format(time.RFC3339), e.Actor, e.Kind, e.Text)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "the incident with its tasks, observables and journal as JSON")
	c.Flags().BoolVar(&personal, "personal", false, personalFlagHelp)
	return c
}

func (a *app) incidentCreateCommand() *cobra.Command {
	var in incident.Incident
	var tlpLabel, pap string
	var orgs, observables []string
	c := &cobra.Command{
		Use:   "create --title TITLE --type TYPE",
		Short: "Open an incident",
		Example: "  qalxan incident create --title 'Vishing as Kapital Bank' --type masquerade --identifier vishing \\\n" +
			"      --org kapital --people 3000 --spreading --observable phone=0501234567 --observable url=hxxps://kapital-bonus[.]example",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, c, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			rules, err := c.IncidentRules()
			if err != nil {
				return err
			}
			for _, name := range orgs {
				o, err := s.GetOrgByShortName(cmd.Context(), auth.Everything, name)
				if err != nil {
					return usageError{fmt.Errorf("incident create: --org: %s", oneLine(err))}
				}
				in.OrgIDs = append(in.OrgIDs, o.ID)
			}
			n := storage.NewIncident{Incident: in}
			n.Incident.TLP, n.Incident.PAP = tlp.Label(tlpLabel), incident.PAP(pap)
			for _, ob := range observables {
				k, v, ok := strings.Cut(ob, "=")
				if !ok {
					return usageError{fmt.Errorf("incident create: --observable: want KIND=VALUE, such as phone=0501234567")}
				}
				n.Observables = append(n.Observables, incident.Observable{Kind: incident.Kind(k), Value: v, TLP: n.Incident.TLP})
			}
			created, err := s.CreateIncident(cmd.Context(), auth.CLI, rules, n)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s\t%s\t%s (score %d)\tdue %s\n", created.Ref, created.Status, created.Severity, created.Assessed.Score, orDash(dateOrEmpty(created.DueAt)))
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&in.Title, "title", "", "the incident's title")
	fl.StringVar(&in.Description, "description", "", "what happened")
	fl.StringVar(&in.Type, "type", "", "RSIT classification type (phishing, masquerade, ddos, data-leak, ...)")
	fl.StringVar(&in.Identifier, "identifier", "", "the scheme (vishing, fake-shop, otp-theft, ...)")
	fl.StringSliceVar(&orgs, "org", nil, "an affected organisation (short name); repeat for more")
	fl.StringVar(&tlpLabel, "tlp", "amber", "TLP 2.0 label: clear, green, amber, amber+strict, red")
	fl.StringVar(&pap, "pap", "amber", "PAP label: clear, green, amber, red")
	fl.StringSliceVar(&in.Tags, "tag", nil, "a tag; repeat for more")
	fl.StringVar(&in.OwnerTeam, "team", "", "the owner team (default incident-response)")
	fl.StringVar(&in.Assignee, "assignee", "", "a user name")
	fl.Int64Var(&in.Criteria.PeopleAffected, "people", 0, "criteria: people or records affected")
	fl.BoolVar(&in.Criteria.CII, "cii", false, "criteria: critical information infrastructure involved")
	fl.BoolVar(&in.Criteria.PersonalData, "personal-data", false, "criteria: personal data involved")
	fl.Int64Var(&in.Criteria.FinancialLoss, "loss", 0, "criteria: financial loss (in the policy's currency)")
	fl.Int64Var(&in.Criteria.OutageMinutes, "outage", 0, "criteria: service outage in minutes")
	fl.BoolVar(&in.Criteria.CrossBorder, "cross-border", false, "criteria: other countries affected or involved")
	fl.BoolVar(&in.Criteria.Spreading, "spreading", false, "criteria: still spreading")
	fl.StringArrayVar(&observables, "observable", nil, "KIND=VALUE (phone, url, domain, ip, email, iban, card-bin, hash, app, social); repeat for more")
	c.MarkFlagRequired("title")
	c.MarkFlagRequired("type")
	return c
}
