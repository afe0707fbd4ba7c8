package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/tlp"
)

// OrgSummary is an organisation as lists show it.
type OrgSummary struct {
	constituency.Org
	ResourceCount int `json:"resource_count"`
	ContactCount  int `json:"contact_count"`
}

// OrgFilter selects organisations; zero fields do not filter.
type OrgFilter struct {
	Query  string // part of the short name, name, or of a resource's value
	Sector string
	CII    *bool
	// NoContacts keeps only organisations without any contact: those no
	// notice can reach.
	NoContacts bool
	After      string // cursor: the short name of the last row of the previous page
	Limit      int    // default 50, at most 1000
}

const orgColumns = `o.id, o.short_name, o.name, o.sector, COALESCE(p.short_name, ''), o.cii, o.language, o.tlp, o.created_at, o.updated_at`

func scanOrg(sc interface{ Scan(...any) error }, o *constituency.Org, extra ...any) error {
	var sector, lang, label string
	dst := append([]any{&o.ID, &o.ShortName, &o.Name, &sector, &o.Parent, &o.CII, &lang, &label, &o.CreatedAt, &o.UpdatedAt}, extra...)
	if err := sc.Scan(dst...); err != nil {
		return err
	}
	o.Sector, o.Language, o.TLP = constituency.Sector(sector), constituency.Language(lang), tlp.Label(label)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return nil
}

// ListOrgs returns the organisations in scope matching f, ordered by short
// name, and the cursor of the next page ("" on the last page).
func (s *Store) ListOrgs(ctx context.Context, sc auth.Scope, f OrgFilter) ([]OrgSummary, string, error) {
	var a args
	limit := clampLimit(f.Limit, 50, 1000)
	q := `SELECT ` + orgColumns + `,
		(SELECT COUNT(*) FROM resources r WHERE r.org_id = o.id),
		(SELECT COUNT(*) FROM contacts c WHERE c.org_id = o.id)
		FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		WHERE ` + scopeCond(sc, &a, "o.id", "o.tlp_rank")
	if t := strings.TrimSpace(f.Query); t != "" {
		like := a.add("%" + escapeLike(foldForSearch(t)) + "%")
		// A search for a domain or address should find its owner too, in
		// punycode or Unicode form.
		resValue := strings.ToLower(t)
		if d, err := constituency.NormalizeDomain(t); err == nil {
			resValue = d
		}
		resLike := a.add("%" + escapeLike(resValue) + "%")
		q += ` AND (o.search_key LIKE ` + like + ` ESCAPE '\'
			OR EXISTS (SELECT 1 FROM resources r WHERE r.org_id = o.id AND r.value LIKE ` + resLike + ` ESCAPE '\'))`
	}
	if f.Sector != "" {
		q += ` AND o.sector = ` + a.add(f.Sector)
	}
	if f.CII != nil {
		q += ` AND o.cii = ` + a.add(*f.CII)
	}
	if f.NoContacts {
		q += ` AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.org_id = o.id)`
	}
	if f.After != "" {
		q += ` AND o.short_name > ` + a.add(f.After)
	}
	q += ` ORDER BY o.short_name LIMIT ` + a.add(limit+1)
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, "", fmt.Errorf("storage: list orgs: %w", err)
	}
	defer rows.Close()
	var out []OrgSummary
	for rows.Next() {
		var o OrgSummary
		if err := scanOrg(rows, &o.Org, &o.ResourceCount, &o.ContactCount); err != nil {
			return nil, "", fmt.Errorf("storage: list orgs: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("storage: list orgs: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ShortName
	}
	return out, next, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// GetOrg returns one organisation in scope with its resources (not its
// contacts: those are personal data, read through ListContacts).
func (s *Store) GetOrg(ctx context.Context, sc auth.Scope, id int64) (*constituency.Org, error) {
	return s.getOrg(ctx, sc, "o.id", id)
}

// GetOrgByShortName is GetOrg by short name.
func (s *Store) GetOrgByShortName(ctx context.Context, sc auth.Scope, short string) (*constituency.Org, error) {
	return s.getOrg(ctx, sc, "o.short_name", strings.ToLower(short))
}

func (s *Store) getOrg(ctx context.Context, sc auth.Scope, col string, key any) (*constituency.Org, error) {
	var a args
	q := `SELECT ` + orgColumns + ` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		WHERE ` + col + ` = ` + a.add(key) + ` AND ` + scopeCond(sc, &a, "o.id", "o.tlp_rank")
	var o constituency.Org
	if err := scanOrg(s.db.QueryRowContext(ctx, q, a...), &o); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "organisation %v not found", key)
		}
		return nil, fmt.Errorf("storage: get org %v: %w", key, err)
	}
	res, err := s.listResources(ctx, s.db, o.ID)
	if err != nil {
		return nil, err
	}
	o.Resources = res
	return &o, nil
}

// CreateOrg adds an organisation with its resources and contacts.
func (s *Store) CreateOrg(ctx context.Context, actor auth.Actor, o *constituency.Org) error {
	if err := mayChangeRegistry(actor); err != nil {
		return err
	}
	if err := o.Normalize(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.insertOrg(ctx, tx, o); err != nil {
			return err
		}
		for i := range o.Resources {
			if err := s.insertResource(ctx, tx, o.ID, &o.Resources[i]); err != nil {
				return err
			}
		}
		for i := range o.Contacts {
			if err := s.insertContact(ctx, tx, o.ID, &o.Contacts[i]); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "org.create", "org", o.ID, o.ID, nil, o)
	})
}

func (s *Store) insertOrg(ctx context.Context, tx *sql.Tx, o *constituency.Org) error {
	parentID, err := s.parentID(ctx, tx, o)
	if err != nil {
		return err
	}
	now := s.Now()
	err = tx.QueryRowContext(ctx, `INSERT INTO orgs (short_name, name, sector, parent_id, cii, language, tlp, tlp_rank, search_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		o.ShortName, o.Name, string(o.Sector), parentID, o.CII, string(o.Language), string(o.TLP), o.TLP.Rank(), orgSearchKey(o), now).Scan(&o.ID)
	if isUniqueViolation(err) {
		return errs.Field("short_name", "an organisation named %q already exists", o.ShortName)
	}
	if err != nil {
		return fmt.Errorf("storage: insert org %s: %w", o.ShortName, err)
	}
	o.CreatedAt, o.UpdatedAt = now, now
	return nil
}

// parentID resolves o.Parent to an id (NULL when empty) and refuses a
// parent that would close a cycle.
func (s *Store) parentID(ctx context.Context, tx *sql.Tx, o *constituency.Org) (sql.NullInt64, error) {
	if o.Parent == "" {
		return sql.NullInt64{}, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM orgs WHERE short_name = $1`, o.Parent).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return sql.NullInt64{}, errs.Field("parent", "%s: parent organisation %q does not exist", o.ShortName, o.Parent)
	}
	if err != nil {
		return sql.NullInt64{}, fmt.Errorf("storage: find parent %s: %w", o.Parent, err)
	}
	if o.ID != 0 {
		// Walk up from the new parent; meeting o itself means a cycle.
		for cur, depth := id, 0; cur != 0 && depth < 100; depth++ {
			if cur == o.ID {
				return sql.NullInt64{}, errs.Field("parent", "%s: making %q its parent would create a cycle", o.ShortName, o.Parent)
			}
			var next sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT parent_id FROM orgs WHERE id = $1`, cur).Scan(&next); err != nil {
				return sql.NullInt64{}, fmt.Errorf("storage: walk parents: %w", err)
			}
			cur = next.Int64
		}
	}
	return sql.NullInt64{Int64: id, Valid: true}, nil
}

// UpdateOrg changes an organisation's own fields (not its resources or
// contacts, which have their own methods). o.ID names the organisation.
func (s *Store) UpdateOrg(ctx context.Context, actor auth.Actor, o *constituency.Org) error {
	if err := o.Normalize(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mayChangeOrg(ctx, tx, actor, o.ID); err != nil {
			return err
		}
		before, err := s.orgForUpdate(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if err := s.updateOrgRow(ctx, tx, o); err != nil {
			return err
		}
		o.CreatedAt = before.CreatedAt
		return s.audit(ctx, tx, actor, "org.update", "org", o.ID, o.ID, before, orgFields(o))
	})
}

func (s *Store) updateOrgRow(ctx context.Context, tx *sql.Tx, o *constituency.Org) error {
	parentID, err := s.parentID(ctx, tx, o)
	if err != nil {
		return err
	}
	o.UpdatedAt = s.Now()
	_, err = tx.ExecContext(ctx, `UPDATE orgs SET short_name = $1, name = $2, sector = $3, parent_id = $4, cii = $5,
		language = $6, tlp = $7, tlp_rank = $8, search_key = $9, updated_at = $10 WHERE id = $11`,
		o.ShortName, o.Name, string(o.Sector), parentID, o.CII, string(o.Language), string(o.TLP), o.TLP.Rank(), orgSearchKey(o), o.UpdatedAt, o.ID)
	if isUniqueViolation(err) {
		return errs.Field("short_name", "an organisation named %q already exists", o.ShortName)
	}
	if err != nil {
		return fmt.Errorf("storage: update org %d: %w", o.ID, err)
	}
	return nil
}

// orgFields is the organisation without its lists, as the audit log records
// an edit of its own fields.
func orgFields(o *constituency.Org) *constituency.Org {
	c := *o
	c.Resources, c.Contacts = nil, nil
	return &c
}

func (s *Store) orgForUpdate(ctx context.Context, tx *sql.Tx, id int64) (*constituency.Org, error) {
	var o constituency.Org
	err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.id = $1`, id), &o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "organisation %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get org %d: %w", id, err)
	}
	return &o, nil
}

// DeleteOrg removes an organisation with its resources and contacts. Its
// children lose their parent; users bound only to it lose the binding.
func (s *Store) DeleteOrg(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mayChangeOrg(ctx, tx, actor, id); err != nil {
			return err
		}
		before, err := s.orgForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Resources, err = s.listResources(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM orgs WHERE id = $1`, id); err != nil {
			return fmt.Errorf("storage: delete org %d: %w", id, err)
		}
		return s.audit(ctx, tx, actor, "org.delete", "org", id, id, before, nil)
	})
}

// ExportOrgs returns every organisation in scope, complete with resources
// and contacts, ordered by short name (parents are not reordered: import
// resolves parents after creating all organisations).
func (s *Store) ExportOrgs(ctx context.Context, sc auth.Scope) ([]constituency.Org, error) {
	return s.orgsWithLists(ctx, s.db, sc, true)
}

// MatcherOrgs returns every organisation with its resources: what the
// ownership matcher is built from.
func (s *Store) MatcherOrgs(ctx context.Context) ([]constituency.Org, error) {
	return s.orgsWithLists(ctx, s.db, auth.Everything, false)
}

// orgsWithLists reads the organisations in scope with their resources and,
// if asked, their contacts: three queries, whatever the registry's size.
func (s *Store) orgsWithLists(ctx context.Context, q querier, sc auth.Scope, withContacts bool) ([]constituency.Org, error) {
	var a args
	rows, err := q.QueryContext(ctx, `SELECT `+orgColumns+` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		WHERE `+scopeCond(sc, &a, "o.id", "o.tlp_rank")+` ORDER BY o.short_name`, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: read orgs: %w", err)
	}
	var orgs []constituency.Org
	index := map[int64]int{}
	for rows.Next() {
		var o constituency.Org
		if err := scanOrg(rows, &o); err != nil {
			rows.Close()
			return nil, fmt.Errorf("storage: read orgs: %w", err)
		}
		index[o.ID] = len(orgs)
		orgs = append(orgs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: read orgs: %w", err)
	}
	res, err := s.queryResources(ctx, q, `SELECT `+resourceColumns+` FROM resources ORDER BY org_id, kind, value`)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if i, ok := index[r.OrgID]; ok {
			orgs[i].Resources = append(orgs[i].Resources, r)
		}
	}
	if !withContacts {
		return orgs, nil
	}
	cs, err := s.queryContacts(ctx, q, `SELECT `+contactColumns+` FROM contacts ORDER BY org_id, email`)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if i, ok := index[c.OrgID]; ok {
			orgs[i].Contacts = append(orgs[i].Contacts, c)
		}
	}
	return orgs, nil
}

// VisibleOrgNames returns which of the short names name organisations
// inside the scope, in one query: for filtering answers (such as the
// ownership matcher's, which knows every organisation) by tenancy.
func (s *Store) VisibleOrgNames(ctx context.Context, sc auth.Scope, names []string) (map[string]bool, error) {
	visible := make(map[string]bool, len(names))
	if len(names) == 0 {
		return visible, nil
	}
	var a args
	ph := make([]string, len(names))
	for i, n := range names {
		ph[i] = a.add(n)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT o.short_name FROM orgs o WHERE o.short_name IN (`+strings.Join(ph, ", ")+`) AND `+
		scopeCond(sc, &a, "o.id", "o.tlp_rank"), a...)
	if err != nil {
		return nil, fmt.Errorf("storage: visible orgs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("storage: visible orgs: %w", err)
		}
		visible[n] = true
	}
	return visible, rows.Err()
}
