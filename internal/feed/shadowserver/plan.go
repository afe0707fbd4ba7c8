package shadowserver

import (
	"slices"

	"github.com/qalxan/qalxan/internal/event"
)

// plan builds a row's event in key order, so the event never needs
// sorting and no field is searched for: each key the report can give has
// a slot, numbered in key order, resolved once per report. A row's values
// are gathered in the slots, with build's semantics and in its order
// (conversions, validation, which columns are left for extra), then
// stored in slot order.
//
// That is the same event as build's only when no two writers can give
// the same key (build's later writers replace earlier values) and no
// value depends on another key of the event (classification.taxonomy
// follows from classification.type). compile makes no plan for a report
// where either may happen; build then does it the plain way.
type plan struct {
	required []int  // the slot of each required mapping's key; -1: ignored
	optional []int  // the same for the optional mappings
	extraCol []int  // the slot of extra.<column> for each column
	raw      int    // the slot of raw
	fixed    []bool // slots every event has: the base and constant fields
	// The fixed slots' fields, and the extra.* slots' keys: a row puts
	// only the kind and value in those (see slots.put).
	fields []event.Field
}

// slots is one worker's copy of a plan's per-row values.
type slots struct {
	has    []bool
	fields []event.Field
}

func (p *plan) newSlots() *slots {
	return &slots{has: make([]bool, len(p.fixed)), fields: slices.Clone(p.fields)}
}

// put gives extra.* slot i a value. The slot's field holds its key
// already, made once by makePlan. Storing a whole new field for each
// value cost more: the compiler builds the field on the stack and copies
// it, and the CPU stalls reading back the copy's overlapping wide stores.
func (s *slots) put(i int, kind event.Kind, v string) {
	f := &s.fields[i]
	f.Kind, f.Value = kind, v
	s.has[i] = true
}

// Slot numbers a mapping can have besides a real slot.
const (
	noSlot   = -1 // the mapping puts its value nowhere
	shadowed = -2 // a constant field replaces the mapping's value: it is checked, then dropped
)

// writer is one of build's ways to give a key a value.
type writer struct {
	kind    writerKind
	col     int // the column of a mapping or of a left-over column
	mapping int // index in required, then optional
}

type writerKind uint8

const (
	fromBase writerKind = iota
	fromMapping
	fromConstant
	fromRaw
	fromColumn // a column no mapping used, kept as extra.<column>
)

// makePlan returns c's plan, or nil when c must build the plain way.
func (c *compiledReport) makePlan() *plan {
	writers := map[string][]writer{}
	add := func(key string, w writer) { writers[key] = append(writers[key], w) }
	for _, f := range c.base.Fields() {
		add(f.Key, writer{kind: fromBase})
	}
	for _, f := range c.constant.Fields() {
		add(f.Key, writer{kind: fromConstant})
	}
	mappings := append(slices.Clip(c.required), c.optional...)
	for i := range mappings {
		m := &mappings[i]
		switch m.target {
		case toKey:
			if t := m.key.Type; t == event.ClassificationType || t == event.ClassificationTaxonomy {
				return nil // its value depends on, or changes, another key
			}
			add(m.key.Name, writer{kind: fromMapping, col: m.col, mapping: i})
		case toExtra:
			add(m.extra, writer{kind: fromMapping, col: m.col, mapping: i})
		}
	}
	add("raw", writer{kind: fromRaw})
	for i, k := range c.extraCol {
		add(k, writer{kind: fromColumn, col: i})
	}

	sorted := make([]string, 0, len(writers))
	for k := range writers {
		sorted = append(sorted, k)
	}
	slices.SortFunc(sorted, event.CompareKeys)
	p := &plan{fixed: make([]bool, len(sorted)), fields: make([]event.Field, len(sorted)),
		required: make([]int, len(c.required)), optional: make([]int, len(c.optional)),
		extraCol: make([]int, len(c.extraCol))}
	mappingSlot := func(i, slot int) {
		if i < len(c.required) {
			p.required[i] = slot
		} else {
			p.optional[i-len(c.required)] = slot
		}
	}
	for i := range mappings {
		mappingSlot(i, noSlot)
	}
	for slot, key := range sorted {
		ws := writers[key]
		if !oneValue(ws) {
			return nil
		}
		for _, w := range ws {
			switch w.kind {
			case fromBase:
				p.fixed[slot], p.fields[slot] = true, field(c.base, key)
			case fromConstant:
				p.fixed[slot], p.fields[slot] = true, field(c.constant, key)
			case fromMapping:
				if ws[0].kind == fromConstant {
					mappingSlot(w.mapping, shadowed)
				} else {
					mappingSlot(w.mapping, slot)
					if m := &mappings[w.mapping]; m.target == toExtra {
						p.fields[slot] = m.extraK.String("") // the key, for put
					}
				}
			case fromRaw:
				p.raw = slot
			case fromColumn:
				p.extraCol[w.col] = slot
				p.fields[slot] = c.extraKey[w.col].String("")
			}
		}
	}
	return p
}

// oneValue reports whether the writers of one key, listed as makePlan adds
// them (base, constant, mappings, raw, column; build writes base,
// mappings, constants, raw, columns), leave a value a slot can hold: one
// writer; a constant and mappings (build sets the constant last, so it is
// the value, but the mappings still decide which columns are left over);
// or one mapping of column c to extra.<c> and c itself left over, which
// never both happen (the mapping's value uses the column).
func oneValue(ws []writer) bool {
	switch {
	case len(ws) == 1:
		return true
	case ws[0].kind == fromConstant:
		for _, w := range ws[1:] {
			if w.kind != fromMapping {
				return false
			}
		}
		return true
	case len(ws) == 2:
		return ws[0].kind == fromMapping && ws[1].kind == fromColumn && ws[0].col == ws[1].col
	}
	return false
}

// field returns key's field in e, which has it.
func field(e *event.Event, key string) event.Field {
	for _, f := range e.Fields() {
		if f.Key == key {
			return f
		}
	}
	panic("shadowserver: plan: no field " + key)
}

// buildPlanned is build by c.plan, into s.
func (c *compiledReport) buildPlanned(e *event.Event, fields []string, raw rawText, s *slots) error {
	p := c.plan
	c.fields = fields
	copy(s.has, p.fixed)
	for i := range c.pending {
		c.pending[i] = true
	}
	for i := range c.required {
		m := &c.required[i]
		v, err := c.convert(m)
		if err != nil {
			return err
		}
		if v.kind == none {
			continue
		}
		if err := c.fill(s, p.required[i], m, v); err != nil {
			return err
		}
		c.pending[m.col] = false
	}
	for i := range c.optional {
		m := &c.optional[i]
		v, err := c.convert(m)
		if err != nil {
			return err
		}
		if v.kind == none || c.fill(s, p.optional[i], m, v) == nil {
			c.pending[m.col] = false
		}
	}
	s.has[p.raw] = true // set below, from raw
	for i, pending := range c.pending {
		if pending && fields[i] != "" {
			s.put(p.extraCol[i], event.KindString, fields[i]) // build's SetExtraString
		}
	}
	e.Reset()
	for i, has := range s.has {
		switch {
		case i == p.raw:
			e.SetRawJoined(raw.head64, raw.tail, raw.rest)
		case has:
			e.AppendOrdered(&s.fields[i]) // slots are in key order, each key once
		}
	}
	return nil
}

// fill is set for a plan: it puts m's value in slot i.
func (c *compiledReport) fill(s *slots, i int, m *compiled, v value) error {
	switch m.target {
	case toKey:
		if i == shadowed { // checked, then dropped
			_, _, err := event.KeyField(m.key, v.String())
			return err
		}
		// Straight into the slot, which no other writer has (see oneValue).
		ok, err := event.PutKeyField(&s.fields[i], m.key, v.String())
		if ok {
			s.has[i] = true
		}
		return err
	case toExtra:
		if i != shadowed {
			// The field build's SetExtraInt, SetExtraFloat, SetExtraBool or
			// SetExtraString would make: the same text, and its JSON kind.
			s.put(i, v.jsonKind(), v.String())
		}
		return nil
	}
	return nil
}
