package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// IncidentCount is how many incidents the demo's year holds.
const IncidentCount = 300

// demoCase is a kind of incident the demo draws, with its weight: phishing
// first, vishing and fake shops rising, DDoS now and then, a few data
// leaks (the seeds' picture of the country).
type demoCase struct {
	cat    incident.Category
	weight int
	titles []string
}

var demoCases = []demoCase{
	{incident.CatPhishing, 35, []string{"Phishing page imitating %s online banking", "Fake login page for %s staff mail"}},
	{incident.CatVishing, 25, []string{"Calls as %s support asking for card data and SMS codes", "Vishing campaign using %s's name"}},
	{incident.CatFakeShop, 12, []string{"Fake shop taking payments with %s's logo", "Fake payment page for %s fines"}},
	{incident.CatSMS, 10, []string{"SMS with a link to a fake %s page"}},
	{incident.CatSocialFraud, 6, []string{"Fake social-network account of %s"}},
	{incident.CatDDoS, 6, []string{"DDoS against %s web services"}},
	{incident.CatDataLeak, 4, []string{"Personal data of %s customers offered for sale"}},
	{incident.CatMalware, 2, []string{"Malicious app imitating %s"}},
}

// LoadIncidents stores a year of incidents over the store's organisations
// when there are none yet: opened through the year at the store's clock
// (moved back for the purpose and restored), triaged, worked and mostly
// closed, with observables drawn from small pools so the same numbers and
// hosts recur across cases as real campaigns do, take-down requests for
// the sites, and a few citizens' reports still waiting for triage.
func LoadIncidents(ctx context.Context, s *storage.Store, now time.Time) (int, error) {
	if n, err := s.CountIncidents(ctx, auth.Everything, incident.DefaultRules(), storage.IncidentFilter{}); err != nil || n > 0 {
		return 0, err
	}
	orgs, err := s.MatcherOrgs(ctx)
	if err != nil || len(orgs) == 0 {
		return 0, err
	}
	rules := incident.DefaultRules()
	clock := s.Now
	defer func() { s.Now = clock }()
	r := rand.New(rand.NewPCG(7, 300))
	total := 0
	for _, c := range demoCases {
		total += c.weight
	}
	actor := auth.Actor{Name: "analyst", Role: auth.Analyst, Scope: auth.Everything}
	for i := range IncidentCount {
		at := now.Add(-time.Duration(365-i*365/IncidentCount) * 24 * time.Hour).Add(time.Duration(r.IntN(10)) * time.Hour)
		s.Now = func() time.Time { return at }
		pick := r.IntN(total)
		var c demoCase
		for _, x := range demoCases {
			if pick -= x.weight; pick < 0 {
				c = x
				break
			}
		}
		org := orgs[r.IntN(len(orgs))]
		in := incident.Incident{Title: fmt.Sprintf(c.titles[r.IntN(len(c.titles))], org.Name), Category: c.cat,
			Classification: incident.ClassOf(c.cat), OrgIDs: []int64{org.ID}, TLP: "amber",
			Criteria: incident.Criteria{PeopleAffected: int64(r.IntN(4) * r.IntN(4000)), Spreading: r.IntN(4) == 0, CrossBorder: r.IntN(5) == 0,
				CII: org.CII && r.IntN(3) == 0, PersonalData: c.cat == incident.CatDataLeak}}
		if c.cat == incident.CatDDoS {
			in.Criteria.OutageMinutes = int64(30 + r.IntN(600))
		}
		var obs []incident.Observable
		switch c.cat {
		case incident.CatVishing:
			obs = append(obs, incident.Observable{Kind: incident.KindPhone, Value: fmt.Sprintf("+99450%07d", 1000000+r.IntN(25)*37), TLP: "green"})
		case incident.CatPhishing, incident.CatFakeShop, incident.CatSMS:
			obs = append(obs, incident.Observable{Kind: incident.KindURL, Value: fmt.Sprintf("https://%s-secure%d.example/login", org.ShortName, r.IntN(30)), TLP: "green"})
		case incident.CatDDoS:
			obs = append(obs, incident.Observable{Kind: incident.KindIP, Value: fmt.Sprintf("203.0.113.%d", 1+r.IntN(40)), TLP: "green"})
		}
		got, err := s.CreateIncident(ctx, actor, rules, storage.NewIncident{Incident: in, Observables: obs,
			Channel: demoChannel(i), ReportedAt: at.Add(-time.Duration(1+i%5) * time.Hour)})
		if err != nil {
			return i, fmt.Errorf("demo: incident %d: %w", i, err)
		}
		// Its life: most are worked to closure within days; the recent
		// ones are still open.
		steps := []incident.Status{incident.Triage, incident.InProgress, incident.Contained, incident.Resolved, incident.Closed}
		if r.IntN(12) == 0 {
			steps = []incident.Status{incident.Rejected}
		}
		age := now.Sub(at)
		for _, to := range steps {
			at = at.Add(time.Duration(2+r.IntN(40)) * time.Hour)
			if at.After(now) || (age < 20*24*time.Hour && r.IntN(3) == 0) {
				break
			}
			reason := ""
			if to == incident.Rejected {
				reason = "not a security incident"
			}
			if _, err := s.MoveIncident(ctx, actor, rules, got.ID, incident.Action{To: to, Reason: reason}); err != nil {
				return i, fmt.Errorf("demo: incident %d: %w", i, err)
			}
			if to == incident.InProgress && len(obs) > 0 && obs[0].Kind == incident.KindURL {
				td, err := s.CreateTakedown(ctx, actor, rules, got.ID, incident.Takedown{TargetKind: incident.TargetHosting, Provider: "Example Hosting abuse", Subject: obs[0].Value})
				if err != nil {
					return i, fmt.Errorf("demo: take-down: %w", err)
				}
				if _, err := s.MoveTakedown(ctx, actor, td.ID, incident.TakedownSent, ""); err != nil {
					return i, fmt.Errorf("demo: take-down: %w", err)
				}
				at = at.Add(time.Duration(3+r.IntN(60)) * time.Hour)
				if at.Before(now) {
					if _, err := s.MoveTakedown(ctx, actor, td.ID, incident.TakedownDone, ""); err != nil {
						return i, fmt.Errorf("demo: take-down: %w", err)
					}
				}
			}
		}
	}
	s.Now = clock
	for i, d := range []string{"Someone called as my bank and asked for the code from the SMS", "A site sold me a phone and never sent it", "Got an SMS about a parcel with a link"} {
		rep := incident.Report{Category: []incident.Category{incident.CatVishing, incident.CatFakeShop, incident.CatSMS}[i], Description: d,
			Phone: "+994501000037", Language: "az"}
		if err := rep.Normalize("AZ"); err != nil {
			return IncidentCount, fmt.Errorf("demo: report: %w", err)
		}
		if _, err := s.SubmitIntake(ctx, auth.Actor{Name: "public"}, &rep); err != nil {
			return IncidentCount, fmt.Errorf("demo: report: %w", err)
		}
	}
	return IncidentCount, nil
}

// demoChannel is how the demo's i-th case came in: mostly the web form,
// then e-mail, the hotline, partners' systems and analysts' own finds
// (drawn from i, not the random source, so the rest of the demo stays as
// it was).
func demoChannel(i int) incident.Channel {
	return [...]incident.Channel{incident.ChannelWeb, incident.ChannelWeb, incident.ChannelEmail, incident.ChannelPhone, incident.ChannelWeb,
		incident.ChannelAPI, incident.ChannelEmail, incident.ChannelWeb, incident.ChannelAnalyst, incident.ChannelPhone,
		incident.ChannelWeb, incident.ChannelEmail, incident.ChannelWeb, incident.ChannelAnalyst, incident.ChannelWeb,
		incident.ChannelAPI, incident.ChannelPhone, incident.ChannelWeb, incident.ChannelEmail, incident.ChannelAnalyst}[i*7%20]
}
