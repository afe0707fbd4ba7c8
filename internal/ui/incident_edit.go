package ui

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// incidentEditActions are the incident page's forms that change the case
// itself (incident_action.go has the first ones): edit the fields a person
// writes, assign, assess the criteria, link, draft a take-down request and
// move it. Each is a thin call of the storage method the API calls too.
var incidentEditActions = map[string]auth.Permission{
	"edit":          auth.WriteIncidents,
	"assign":        auth.WriteIncidents,
	"assess":        auth.WriteIncidents,
	"link":          auth.WriteIncidents,
	"takedown":      auth.WriteIncidents,
	"takedown-move": auth.WriteIncidents,
}

// incidentEditFields maps the domain's field names to the forms' fields.
var incidentEditFields = map[string]string{
	"title": "title", "description": "description", "tlp": "tlp", "pap": "pap", "tags": "tags", "org_ids": "orgs", "owner_team": "team", "team": "team",
	"assignee": "assignee", "people_affected": "people_affected", "financial_loss": "financial_loss", "outage_minutes": "outage_minutes",
	"link_kind": "link_kind", "target": "target", "target_kind": "target_kind", "provider": "provider", "contact": "contact",
	"subject": "subject", "language": "language", "status": "status", "reason": "reason", "note": "note",
}

// incidentEdit runs one of incidentEditActions on incident id. Messages
// of bad input go to fm (through fm.fieldError) or come back as err.
func (h *handler) incidentEdit(ctx context.Context, r *http.Request, u *auth.User, lang, name string, id int64, fm *form) error {
	act, rules := actor(r, u), h.rules()
	val := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	switch name {
	case "edit":
		title, desc, label, pap := val("title"), r.PostFormValue("description"), val("tlp"), val("pap")
		tags := strings.FieldsFunc(val("tags"), func(r rune) bool { return r == ',' || r == ' ' })
		if tags == nil {
			tags = []string{}
		}
		p := storage.IncidentPatch{Title: &title, Description: &desc, TLP: &label, PAP: &pap, Tags: &tags}
		// The organisations change only when the form has the field (a
		// form without it, or an older page, leaves them as they are).
		if _, present := r.PostForm["orgs"]; present {
			orgs, ok := h.orgIDsOf(ctx, auth.ScopeFor(u), val("orgs"), lang, "orgs", fm)
			if !ok {
				return nil
			}
			cur, err := h.Store.GetIncident(ctx, auth.ScopeFor(u), rules, id)
			if err != nil {
				return err
			}
			if !slices.Equal(orgs, cur.OrgIDs) {
				p.OrgIDs = &orgs
			}
		}
		_, err := h.Store.UpdateIncident(ctx, act, rules, id, p)
		if errs.Is(err, errs.Invalid) && errs.FieldOf(err) == "" && err.Error() == "nothing to change" {
			return nil // the form was sent unchanged: nothing to say
		}
		return err
	case "assign":
		_, err := h.Store.AssignIncident(ctx, act, rules, id, val("assignee"), val("team"))
		return err
	case "assess":
		num := func(k string) int64 {
			n, err := strconv.ParseInt(val(k), 10, 64)
			if val(k) != "" && (err != nil || n < 0) {
				fm.fieldError(lang, k, "incident.bad_number")
			}
			return n
		}
		c := incident.Criteria{PeopleAffected: num("people_affected"), FinancialLoss: num("financial_loss"), OutageMinutes: num("outage_minutes"),
			CII: checked(r, "cii"), PersonalData: checked(r, "personal_data"), CrossBorder: checked(r, "cross_border"), Spreading: checked(r, "spreading")}
		if fm.Failed() {
			return nil
		}
		_, err := h.Store.AssessIncident(ctx, act, rules, id, c)
		return err
	case "link":
		l := incident.Link{Kind: incident.LinkKind(val("link_kind")), Note: val("note")}
		target := strings.TrimPrefix(val("target"), "#")
		if l.Kind == incident.LinkIncident && incident.IsReference(target) {
			in, err := h.Store.GetIncidentByRef(ctx, auth.ScopeFor(u), rules, target)
			if errs.Is(err, errs.NotFound) {
				fm.fieldError(lang, "target", "link.not_found")
				return nil
			}
			if err != nil {
				return errs.InField("target", err)
			}
			l.TargetID = in.ID
		} else if target != "" {
			n, err := strconv.ParseInt(target, 10, 64)
			if err != nil || n <= 0 {
				fm.fieldError(lang, "target", "link.bad_target")
				return nil
			}
			l.TargetID = n
		}
		_, err := h.Store.LinkIncident(ctx, act, rules, id, l)
		if errs.Is(err, errs.NotFound) && errs.FieldOf(err) == "target" {
			// Not there, or not the user's to see: the same words either way.
			fm.fieldError(lang, "target", "link.not_found")
			return nil
		}
		return err
	case "takedown":
		_, err := h.Store.CreateTakedown(ctx, act, rules, id, incident.Takedown{TargetKind: incident.TargetKind(val("target_kind")),
			Provider: val("provider"), Contact: val("contact"), Subject: val("subject"), Language: val("language"), Body: r.PostFormValue("body")})
		return err
	case "takedown-move":
		tid, _ := strconv.ParseInt(val("takedown"), 10, 64)
		// The request must be this incident's: a form of one page does
		// not move another case's request.
		tds, err := h.Store.IncidentTakedowns(ctx, auth.ScopeFor(u), id)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(tds, func(t incident.Takedown) bool { return t.ID == tid }) {
			return errs.E(errs.NotFound, "take-down %d not found", tid)
		}
		_, err = h.Store.MoveTakedown(ctx, act, tid, incident.TakedownStatus(val("status")), val("reason"))
		return err
	}
	return errs.E(errs.NotFound, "no action %q", name)
}

// fillIncidentEdit adds to an incident's page what its edit forms and
// the sections they feed need: links, the evidence's chains of custody,
// and the choices of the selects.
func (h *handler) fillIncidentEdit(r *http.Request, sc auth.Scope, v *incidentView) error {
	ctx, id := r.Context(), v.Incident.ID
	var err error
	if v.Links, err = h.Store.IncidentLinks(ctx, sc, h.rules(), id); err != nil {
		return err
	}
	v.Files = sc.MaxTLP == ""
	v.Custody = map[int64][]incident.CustodyEntry{}
	for _, ev := range v.Evidence {
		if v.Custody[ev.ID], err = h.Store.EvidenceCustody(ctx, sc, id, ev.ID); err != nil {
			return err
		}
	}
	v.TargetKinds, v.PAPs, v.LinkKinds = incident.TargetKinds, incident.PAPs, incident.LinkKinds
	return nil
}

// Tags is the incident's tags as the edit form shows them.
func (v *incidentView) Tags() string { return strings.Join(v.Incident.Tags, ", ") }

// OrgNames is the incident's affected organisations as the edit form
// shows them.
func (v *incidentView) OrgNames() string { return strings.Join(v.Incident.Orgs, ", ") }
