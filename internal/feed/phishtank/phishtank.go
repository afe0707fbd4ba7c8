// Package phishtank parses PhishTank's verified online phishing URLs, the
// JSON database dump (online-valid.json).
package phishtank

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

func init() {
	feed.Register(feed.Spec{
		Name:        "phishtank",
		Provider:    "PhishTank",
		DocURL:      "https://phishtank.org/developer_info.php",
		Format:      "json",
		Description: "PhishTank online-valid.json: a JSON array of verified phishing URLs with the hosting address.",
		FileNames:   []string{"online-valid.json", "online-valid.json.*"},
		Parser:      feed.ParserFunc(parse),
	})
}

// entry is one PhishTank record.
type entry struct {
	PhishID          json.Number `json:"phish_id"`
	URL              string      `json:"url"`
	PhishDetailURL   string      `json:"phish_detail_url"`
	SubmissionTime   string      `json:"submission_time"`
	Verified         string      `json:"verified"`
	VerificationTime string      `json:"verification_time"`
	Online           string      `json:"online"`
	Target           string      `json:"target"`
	Details          []struct {
		IPAddress         string      `json:"ip_address"`
		CIDRBlock         string      `json:"cidr_block"`
		AnnouncingNetwork json.Number `json:"announcing_network"`
		Country           string      `json:"country"`
	} `json:"details"`
}

func parse(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	base := event.New(8)
	if err := feed.SetCommon(rep, base); err != nil {
		return st, err
	}
	if rep.FeedName == "" {
		if err := base.Set("feed.name", "PhishTank"); err != nil {
			return st, err
		}
	}
	if err := feed.Constants(base, "feed.provider", "PhishTank", "classification.type", "phishing"); err != nil {
		return st, err
	}
	e := event.New(20)
	var raw []byte
	err := feed.EachRecord(ctx, r, func(n int, rec json.RawMessage) error {
		st.Rows++
		e.CopyFrom(base)
		var err error
		// IntelMQ keeps each record as a one-element list.
		raw, err = feed.PythonJSON(append(raw[:0], '['), rec)
		if err == nil {
			err = record(e, rec)
		}
		if err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			return nil
		}
		e.SetRaw(append(raw, ']'))
		e.Line = n
		if err := emit(e); err != nil {
			return err
		}
		st.Events++
		return nil
	})
	return st, err
}

func record(e *event.Event, rec json.RawMessage) error {
	var x entry
	if err := json.Unmarshal(rec, &x); err != nil {
		return fmt.Errorf("not a PhishTank record: %v", err)
	}
	if x.URL == "" {
		return fmt.Errorf("no url")
	}
	status := "offline"
	if x.Online == "yes" {
		status = "online"
	}
	if err := feed.Constants(e, "source.url", x.URL, "time.source", x.SubmissionTime,
		"event_description.url", x.PhishDetailURL, "event_description.target", x.Target, "status", status); err != nil {
		return err
	}
	for k, v := range map[string]string{"phish_id": x.PhishID.String(), "verified": x.Verified, "verification_time": x.VerificationTime} {
		if v != "" {
			e.SetExtraString("extra.phishtank."+k, v)
		}
	}
	// The first detail is the address the URL resolved to when verified.
	if len(x.Details) > 0 {
		d := x.Details[0]
		return feed.Constants(e, "source.ip", d.IPAddress, "source.network", d.CIDRBlock,
			"source.asn", d.AnnouncingNetwork.String(), "source.geolocation.cc", d.Country)
	}
	return nil
}
