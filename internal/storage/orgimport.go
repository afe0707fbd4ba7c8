package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
)

// ImportResult counts what an import did.
type ImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ImportOrgs makes the registry agree with orgs, organisation by
// organisation: new ones are created, changed ones updated in place (their
// resources and contacts become exactly those listed), the rest untouched.
// Organisations absent from orgs are kept. It runs in one transaction:
// either the whole file is imported or nothing is. Importing the same data
// twice changes nothing, not even updated_at or the audit log.
//
// New organisations, their resources and contacts and the audit entries are
// written with multi-row INSERTs, parents before children, so a registry of
// 10k organisations imports in seconds on both databases.
func (s *Store) ImportOrgs(ctx context.Context, actor auth.Actor, orgs []constituency.Org) (ImportResult, error) {
	var res ImportResult
	if err := mayChangeRegistry(actor); err != nil {
		return res, err
	}
	inFile := make(map[string]int, len(orgs))
	for i := range orgs {
		if err := orgs[i].Normalize(); err != nil {
			return res, errs.Prefix(err, "organisation "+strconv.Quote(orgs[i].ShortName))
		}
		if _, dup := inFile[orgs[i].ShortName]; dup {
			return res, errs.E(errs.Invalid, "organisation %q is listed twice", orgs[i].ShortName)
		}
		inFile[orgs[i].ShortName] = i
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		existing, err := s.loadRegistry(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkParents(orgs, inFile, existing); err != nil {
			return err
		}
		var created []*constituency.Org
		var audits []auditRow
		// fieldsChanged[i]: orgs[i] exists and its own fields differ;
		// listsChanged[i]: only its resources or contacts differ.
		fieldsChanged := make([]bool, len(orgs))
		listsChanged := make([]bool, len(orgs))
		for i := range orgs {
			o := &orgs[i]
			old := existing[o.ShortName]
			if old == nil {
				created = append(created, o)
				continue
			}
			o.ID, o.CreatedAt, o.UpdatedAt = old.ID, old.CreatedAt, old.UpdatedAt
			fieldsChanged[i] = o.Name != old.Name || o.Sector != old.Sector || o.CII != old.CII ||
				o.Language != old.Language || o.TLP != old.TLP || o.Parent != old.Parent
			if listsChanged[i], err = s.syncLists(ctx, tx, o, old); err != nil {
				return err
			}
			if !fieldsChanged[i] && !listsChanged[i] {
				res.Unchanged++
				continue
			}
			res.Updated++
			audits = append(audits, auditRow{"org.import_update", "org", o.ID, o.ID, old, o})
		}
		// Existing organisations get their new fields (parents included)
		// only after every new organisation exists, since a parent may be new.
		ids := make(map[string]int64, len(existing)+len(created))
		for name, o := range existing {
			ids[name] = o.ID
		}
		if err := s.insertOrgsByDepth(ctx, tx, created, ids); err != nil {
			return err
		}
		for i := range orgs {
			switch {
			case fieldsChanged[i]:
				err = s.updateOrgRow(ctx, tx, &orgs[i])
			case listsChanged[i]:
				err = s.touchOrg(ctx, tx, orgs[i].ID)
			}
			if err != nil {
				return err
			}
		}
		var newRes []resourceRow
		var newContacts []contactRow
		for _, o := range created {
			for _, r := range o.Resources {
				newRes = append(newRes, resourceRow{o.ID, r})
			}
			for _, c := range o.Contacts {
				newContacts = append(newContacts, contactRow{o.ID, c})
			}
			audits = append(audits, auditRow{"org.import_create", "org", o.ID, o.ID, nil, o})
		}
		res.Created = len(created)
		if err := s.insertResourceRows(ctx, tx, newRes); err != nil {
			return err
		}
		if err := s.insertContactRows(ctx, tx, newContacts); err != nil {
			return err
		}
		return s.auditMany(ctx, tx, actor, audits)
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// checkParents refuses parents that exist neither in the file nor in the
// registry, and parent chains that would loop, before anything is written.
func checkParents(orgs []constituency.Org, inFile map[string]int, existing map[string]*constituency.Org) error {
	parentOf := func(name string) string {
		if i, ok := inFile[name]; ok {
			return orgs[i].Parent
		}
		if o := existing[name]; o != nil {
			return o.Parent
		}
		return ""
	}
	for _, o := range orgs {
		p := o.Parent
		if p == "" {
			continue
		}
		if _, ok := inFile[p]; !ok && existing[p] == nil {
			return errs.Field("parent", "%s: parent organisation %q is neither in the file nor in the registry", o.ShortName, p)
		}
		for cur, steps := p, 0; cur != ""; cur, steps = parentOf(cur), steps+1 {
			if cur == o.ShortName || steps > len(orgs)+len(existing) {
				return errs.Field("parent", "%s: parent %q would create a cycle", o.ShortName, p)
			}
		}
	}
	return nil
}

// insertOrgsByDepth inserts new organisations in rounds: each round those
// whose parent already has an id, so parent_id is written at insertion.
// ids maps short names to ids and grows as organisations are inserted.
func (s *Store) insertOrgsByDepth(ctx context.Context, tx *sql.Tx, pending []*constituency.Org, ids map[string]int64) error {
	now := s.Now()
	for len(pending) > 0 {
		var ready, later []*constituency.Org
		for _, o := range pending {
			if _, ok := ids[o.Parent]; o.Parent == "" || ok {
				ready = append(ready, o)
			} else {
				later = append(later, o)
			}
		}
		if len(ready) == 0 { // checkParents rules this out; guard against a loop anyway
			return errs.Field("parent", "%s: parent %q cannot be resolved", later[0].ShortName, later[0].Parent)
		}
		for chunk := range slices.Chunk(ready, insertBatchRows) {
			var a args
			vals := make([]string, len(chunk))
			for i, o := range chunk {
				parent := sql.NullInt64{}
				if o.Parent != "" {
					parent = sql.NullInt64{Int64: ids[o.Parent], Valid: true}
				}
				vals[i] = "(" + strings.Join([]string{s.bind(&a, o.ShortName), s.bind(&a, o.Name), s.bind(&a, string(o.Sector)), s.bind(&a, parent),
					s.bind(&a, o.CII), s.bind(&a, string(o.Language)), s.bind(&a, string(o.TLP)), s.bind(&a, o.TLP.Rank()), s.bind(&a, orgSearchKey(o)), s.bind(&a, now), s.bind(&a, now)}, ", ") + ")"
			}
			rows, err := tx.QueryContext(ctx, `INSERT INTO orgs (short_name, name, sector, parent_id, cii, language, tlp, tlp_rank, search_key, created_at, updated_at)
				VALUES `+strings.Join(vals, ", ")+` RETURNING id, short_name`, a...)
			if err != nil {
				return fmt.Errorf("storage: insert orgs: %w", err)
			}
			for rows.Next() {
				var id int64
				var name string
				if err := rows.Scan(&id, &name); err != nil {
					rows.Close()
					return fmt.Errorf("storage: insert orgs: %w", err)
				}
				ids[name] = id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("storage: insert orgs: %w", err)
			}
			for _, o := range chunk {
				o.ID, o.CreatedAt, o.UpdatedAt = ids[o.ShortName], now, now
			}
		}
		pending = later
	}
	return nil
}

// loadRegistry reads every organisation with its lists, keyed by short name.
func (s *Store) loadRegistry(ctx context.Context, tx *sql.Tx) (map[string]*constituency.Org, error) {
	orgs, err := s.orgsWithLists(ctx, tx, auth.Everything, true)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*constituency.Org, len(orgs))
	for i := range orgs {
		byName[orgs[i].ShortName] = &orgs[i]
	}
	return byName, nil
}

// syncLists makes an existing organisation's resources and contacts equal
// to o's, and reports whether anything changed. IDs of kept rows survive.
func (s *Store) syncLists(ctx context.Context, tx *sql.Tx, o, old *constituency.Org) (bool, error) {
	changed := false
	oldRes := map[string]constituency.Resource{}
	for _, r := range old.Resources {
		oldRes[string(r.Kind)+" "+r.Value] = r
	}
	for i := range o.Resources {
		r := &o.Resources[i]
		key := string(r.Kind) + " " + r.Value
		prev, ok := oldRes[key]
		delete(oldRes, key)
		switch {
		case !ok:
			if err := s.insertResource(ctx, tx, o.ID, r); err != nil {
				return false, err
			}
			changed = true
		case prev.Criticality != r.Criticality || prev.Notes != r.Notes:
			r.ID = prev.ID
			if _, err := tx.ExecContext(ctx, `UPDATE resources SET criticality = $1, notes = $2 WHERE id = $3`, string(r.Criticality), r.Notes, r.ID); err != nil {
				return false, fmt.Errorf("storage: update resource %d: %w", r.ID, err)
			}
			changed = true
		default:
			r.ID, r.OrgID = prev.ID, prev.OrgID
		}
	}
	for _, r := range oldRes {
		if _, err := tx.ExecContext(ctx, `DELETE FROM resources WHERE id = $1`, r.ID); err != nil {
			return false, fmt.Errorf("storage: delete resource %d: %w", r.ID, err)
		}
		changed = true
	}
	oldContacts := map[string]constituency.Contact{}
	for _, c := range old.Contacts {
		oldContacts[c.Email] = c
	}
	for i := range o.Contacts {
		c := &o.Contacts[i]
		prev, ok := oldContacts[c.Email]
		delete(oldContacts, c.Email)
		switch {
		case !ok:
			if err := s.insertContact(ctx, tx, o.ID, c); err != nil {
				return false, err
			}
			changed = true
		case prev.Name != c.Name || prev.Role != c.Role || prev.Language != c.Language || prev.PGPKey != c.PGPKey:
			c.ID = prev.ID
			if _, err := tx.ExecContext(ctx, `UPDATE contacts SET name = $1, role = $2, language = $3, pgp_key = $4 WHERE id = $5`,
				c.Name, c.Role, string(c.Language), c.PGPKey, c.ID); err != nil {
				return false, fmt.Errorf("storage: update contact %d: %w", c.ID, err)
			}
			changed = true
		default:
			c.ID, c.OrgID = prev.ID, prev.OrgID
		}
	}
	for _, c := range oldContacts {
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = $1`, c.ID); err != nil {
			return false, fmt.Errorf("storage: delete contact %d: %w", c.ID, err)
		}
		changed = true
	}
	return changed, nil
}

type resourceRow struct {
	orgID int64
	r     constituency.Resource
}

type contactRow struct {
	orgID int64
	c     constituency.Contact
}

// insertBatchRows bounds multi-row INSERTs: SQLite allows 32766 parameters
// and PostgreSQL 65535; 500 rows keeps statements small and fast to plan.
const insertBatchRows = 500

// insertResourceRows inserts many resources with multi-row INSERTs, which
// is several times faster than one statement per row on both databases.
func (s *Store) insertResourceRows(ctx context.Context, tx *sql.Tx, rows []resourceRow) error {
	for chunk := range slices.Chunk(rows, insertBatchRows) {
		var a args
		vals := make([]string, len(chunk))
		for i, x := range chunk {
			vals[i] = "(" + s.bind(&a, x.orgID) + ", " + s.bind(&a, string(x.r.Kind)) + ", " + s.bind(&a, x.r.Value) + ", " + s.bind(&a, string(x.r.Criticality)) + ", " + s.bind(&a, x.r.Notes) + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO resources (org_id, kind, value, criticality, notes) VALUES `+strings.Join(vals, ", "), a...); err != nil {
			return fmt.Errorf("storage: insert resources: %w", err)
		}
	}
	return nil
}

func (s *Store) insertContactRows(ctx context.Context, tx *sql.Tx, rows []contactRow) error {
	for chunk := range slices.Chunk(rows, insertBatchRows) {
		var a args
		vals := make([]string, len(chunk))
		for i, x := range chunk {
			vals[i] = "(" + s.bind(&a, x.orgID) + ", " + s.bind(&a, x.c.Email) + ", " + s.bind(&a, x.c.Name) + ", " + s.bind(&a, x.c.Role) + ", " + s.bind(&a, string(x.c.Language)) + ", " + s.bind(&a, x.c.PGPKey) + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (org_id, email, name, role, language, pgp_key) VALUES `+strings.Join(vals, ", "), a...); err != nil {
			return fmt.Errorf("storage: insert contacts: %w", err)
		}
	}
	return nil
}
