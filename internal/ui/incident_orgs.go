package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
)

// orgIDsOf reads the affected organisations a form names by short name
// (separated by commas or spaces), each looked up in the user's scope;
// ok is false, with the message on field, when one is not found.
func (h *handler) orgIDsOf(ctx context.Context, sc auth.Scope, text, lang, field string, fm *form) (ids []int64, ok bool) {
	ids = []int64{}
	for _, name := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' }) {
		o, err := h.Store.GetOrgByShortName(ctx, sc, strings.ToLower(name))
		if err != nil {
			fm.fieldError(lang, field, "events.bad_org")
			return nil, false
		}
		if !slices.Contains(ids, o.ID) {
			ids = append(ids, o.ID)
		}
	}
	slices.Sort(ids)
	return ids, true
}
