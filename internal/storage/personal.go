package storage

import (
	"context"

	"github.com/qalxan/qalxan/internal/auth"
)

// AuditPersonalRead records that actor was shown the personal fields of
// objects (incidents or incident reports): one record per answer,
// naming them all.
func (s *Store) AuditPersonalRead(ctx context.Context, actor auth.Actor, objType string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var one int64
	if len(ids) == 1 {
		one = ids[0]
	}
	return s.Audit(ctx, actor, "incident.personal_read", objType, one, 0, map[string]any{"ids": ids})
}

// personalCaseExcluded is the condition on incidents i that are not
// personal-data offences (incident.Incident.PersonalData): neither so
// classified nor assessed with personal data involved (the criteria are
// stored as incident.Criteria's JSON).
const personalCaseExcluded = `NOT (i.type IN ('data-leak', 'unauthorised-information-access') OR i.criteria LIKE '%"personal_data":true%')`
