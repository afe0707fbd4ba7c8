package storage

import (
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
)

// args collects query arguments and hands out their $N placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// scopeCond returns the SQL condition that limits rows to the scope's
// organisations, given the columns holding the organisation id and its TLP
// rank. An empty scope matches nothing.
func scopeCond(sc auth.Scope, a *args, idCol, tlpRankCol string) string {
	var conds []string
	if !sc.AllOrgs {
		if len(sc.OrgIDs) == 0 {
			return "1 = 0"
		}
		ph := make([]string, len(sc.OrgIDs))
		for i, id := range sc.OrgIDs {
			ph[i] = a.add(id)
		}
		conds = append(conds, idCol+" IN ("+strings.Join(ph, ", ")+")")
	}
	if sc.MaxTLP != "" {
		conds = append(conds, tlpRankCol+" <= "+a.add(sc.MaxTLPRank()))
	}
	if len(conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(conds, " AND ")
}

// bind is add for statements with hundreds of parameters (multi-row
// INSERTs): SQLite resolves "$N" names in time quadratic in their count, so
// there it binds with anonymous "?" placeholders, in order. A statement must
// use bind or add throughout, never both.
func (s *Store) bind(a *args, v any) string {
	if s.dialect.name == "sqlite" {
		*a = append(*a, v)
		return "?"
	}
	return a.add(v)
}
