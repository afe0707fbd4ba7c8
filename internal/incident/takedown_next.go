package incident

import "slices"

// Next lists the statuses a take-down request in status s may move to,
// for the page to offer only those.
func (s TakedownStatus) Next() []TakedownStatus { return slices.Clone(takedownMoves[s]) }
