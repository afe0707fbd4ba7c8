package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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
func (s *Store) ImportOrgs(ctx context.Context, actor auth.Actor, orgs []constituency.Org) (ImportResult, error) {
	var res ImportResult
	inFile := make(map[string]bool, len(orgs))
	for i := range orgs {
		if err := orgs[i].Normalize(); err != nil {
			return res, fmt.Errorf("organisation %q: %w", orgs[i].ShortName, err)
		}
		if inFile[orgs[i].ShortName] {
			return res, errs.E(errs.Invalid, "organisation %q is listed twice", orgs[i].ShortName)
		}
		inFile[orgs[i].ShortName] = true
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		existing, err := s.loadRegistry(ctx, tx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if p := o.Parent; p != "" && !inFile[p] && existing[p] == nil {
				return errs.Field("parent", "%s: parent organisation %q is neither in the file nor in the registry", o.ShortName, p)
			}
		}
		var newRes []resourceRow
		var newContacts []contactRow
		changed := make([]bool, len(orgs))
		// First pass: create or update every organisation without its parent
		// link, since a parent may come later in the file.
		for i := range orgs {
			o := &orgs[i]
			old := existing[o.ShortName]
			if old == nil {
				parent := o.Parent
				o.Parent = ""
				if err := s.insertOrg(ctx, tx, o); err != nil {
					return err
				}
				o.Parent = parent
				for _, r := range o.Resources {
					newRes = append(newRes, resourceRow{o.ID, r})
				}
				for _, c := range o.Contacts {
					newContacts = append(newContacts, contactRow{o.ID, c})
				}
				changed[i] = true
				res.Created++
				continue
			}
			o.ID, o.CreatedAt, o.UpdatedAt = old.ID, old.CreatedAt, old.UpdatedAt
			fieldsChanged := o.Name != old.Name || o.Sector != old.Sector || o.CII != old.CII || o.Language != old.Language || o.TLP != old.TLP
			listsChanged, err := s.syncLists(ctx, tx, o, old)
			if err != nil {
				return err
			}
			if fieldsChanged || listsChanged || o.Parent != old.Parent {
				changed[i] = true
				res.Updated++
			} else {
				res.Unchanged++
			}
		}
		if err := s.insertResourceRows(ctx, tx, newRes); err != nil {
			return err
		}
		if err := s.insertContactRows(ctx, tx, newContacts); err != nil {
			return err
		}
		// Second pass: write the changed organisations' fields, parents
		// included, now that every parent exists.
		for i := range orgs {
			if !changed[i] {
				continue
			}
			o := &orgs[i]
			old := existing[o.ShortName]
			if err := s.updateOrgRow(ctx, tx, o); err != nil {
				return err
			}
			if old == nil {
				err = s.audit(ctx, tx, actor, "org.import_create", "org", o.ID, o.ID, nil, o)
			} else {
				err = s.audit(ctx, tx, actor, "org.import_update", "org", o.ID, o.ID, old, o)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// loadRegistry reads every organisation with its lists, keyed by short name.
func (s *Store) loadRegistry(ctx context.Context, tx *sql.Tx) (map[string]*constituency.Org, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+orgColumns+` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id`)
	if err != nil {
		return nil, fmt.Errorf("storage: load registry: %w", err)
	}
	byName := map[string]*constituency.Org{}
	byID := map[int64]*constituency.Org{}
	for rows.Next() {
		o := &constituency.Org{}
		if err := scanOrg(rows, o); err != nil {
			rows.Close()
			return nil, fmt.Errorf("storage: load registry: %w", err)
		}
		byName[o.ShortName], byID[o.ID] = o, o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: load registry: %w", err)
	}
	rs, err := s.queryResources(ctx, tx, `SELECT `+resourceColumns+` FROM resources ORDER BY org_id, id`)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		byID[r.OrgID].Resources = append(byID[r.OrgID].Resources, r)
	}
	cs, err := s.queryContacts(ctx, tx, `SELECT `+contactColumns+` FROM contacts ORDER BY org_id, id`)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		byID[c.OrgID].Contacts = append(byID[c.OrgID].Contacts, c)
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
			vals[i] = "(" + a.add(x.orgID) + ", " + a.add(string(x.r.Kind)) + ", " + a.add(x.r.Value) + ", " + a.add(string(x.r.Criticality)) + ", " + a.add(x.r.Notes) + ")"
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
			vals[i] = "(" + a.add(x.orgID) + ", " + a.add(x.c.Email) + ", " + a.add(x.c.Name) + ", " + a.add(x.c.Role) + ", " + a.add(string(x.c.Language)) + ", " + a.add(x.c.PGPKey) + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (org_id, email, name, role, language, pgp_key) VALUES `+strings.Join(vals, ", "), a...); err != nil {
			return fmt.Errorf("storage: insert contacts: %w", err)
		}
	}
	return nil
}
