// Package event is Qalxan's security event: a flat set of IntelMQ
// harmonization keys with typed, validated, normalised values.
//
// An Event is a small slice of fields, each value held as its canonical
// text plus a JSON kind. That shape is chosen for the parsers' hot path
// (hundreds of thousands of events a second): no map and no interface
// boxing per value, presence bits make "is this key set?" one AND while a
// parser fills the event, fields are appended and sorted once (insertion
// sort over a few sorted runs) when the event is encoded, JSON encoding
// is one pass without reflection, and a parser can Reset or CopyFrom and
// reuse one Event per row without allocating.
package event

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// Field is one key and its value.
type Field struct {
	rank     int32 // the key's sort rank (see keys.go)
	Kind     Kind
	plain    bool // the value needs no escaping in JSON (see plainType)
	plainKey bool // an extra.* key that needs no escaping either (see ExtraKey)
	Key      string
	Value    string // canonical text; for KindJSON the JSON encoding
}

// Event is a flat IntelMQ-style event. The zero value is empty and ready.
// An Event is not safe for concurrent use, not even for reads: encoding
// sorts it in place.
type Event struct {
	fields   []Field   // sorted by (rank, Key) unless unsorted
	unsorted bool      // a field was appended out of order since the last sort
	known    [4]uint64 // bit rank/2 is set when that known key is present
	extras   int       // how many extra.* fields there are
	rawHead  string    // see SetRawJoined: the encoded start of a raw whose field holds the rest unencoded,
	rawTail  string    // and the unencoded bytes between the two

	// Line is where the event's row starts in its report: the 1-based
	// line of a text report, the record number of a JSON one; 0 when
	// unknown. Not a harmonization field and not in the JSON: the stored
	// event points into the raw archive with it.
	Line int
}

// New returns an empty event with room for n fields.
func New(n int) *Event { return &Event{fields: make([]Field, 0, n)} }

// Reset empties e, keeping its storage for reuse.
func (e *Event) Reset() { *e = Event{fields: e.fields[:0]} }

// Clone returns a copy of e that shares nothing with it.
func (e *Event) Clone() *Event {
	c := *e
	c.fields = append([]Field(nil), e.fields...)
	return &c
}

// Len is the number of fields.
func (e *Event) Len() int { return len(e.fields) }

// Fields returns the fields sorted by key. The slice is e's own: do not
// modify it.
func (e *Event) Fields() []Field {
	e.sort()
	for i := range e.fields {
		if e.fields[i].Kind == kindRawJoined {
			e.encodeRaw(i)
		}
	}
	return e.fields
}

// Sort puts the fields in key order now, as Fields and AppendJSON do
// before they read them: a parser sorts on its own goroutines, not on the
// one that writes the events out.
func (e *Event) Sort() { e.sort() }

// sort restores key order. Setting appends (a parser sets thirty fields
// in whatever order its mapping has; inserting each in place cost more
// in moves than one sort at the end).
func (e *Event) sort() {
	if !e.unsorted {
		return
	}
	e.unsorted = false
	f := e.fields
	if len(f) > 64 {
		slices.SortFunc(f, compareFields)
		return
	}
	// Insertion sort: the slice is sorted runs appended one after the
	// other, where it beats pdqsort's partitioning several times over.
	for i := 1; i < len(f); i++ {
		x := f[i]
		j := i
		for j > 0 && less(&x, &f[j-1]) {
			f[j] = f[j-1]
			j--
		}
		f[j] = x
	}
}

func less(a, b *Field) bool {
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	return a.Key < b.Key
}

func compareFields(a, b Field) int {
	if a.rank != b.rank {
		return cmp.Compare(a.rank, b.rank)
	}
	return strings.Compare(a.Key, b.Key)
}

// rankOf is the sort rank of a key name; 0 for an unknown key.
func rankOf(key string) int32 {
	if k, ok := keys[key]; ok {
		return k.rank
	}
	if IsExtra(key) {
		return extraRank
	}
	return 0
}

// find returns the index of key, or -1.
func (e *Event) find(key string) (int, bool) { return e.findRank(rankOf(key), key) }

func (e *Event) findRank(rank int32, key string) (int, bool) {
	// The presence bits answer "not set" without a scan, the common case
	// while a parser fills an event.
	if rank == extraRank {
		if e.extras == 0 {
			return -1, false
		}
	} else if e.known[rank>>7]&(1<<(rank>>1&63)) == 0 {
		return -1, false
	}
	// Events are small: a linear scan comparing integers is quick, and
	// names are compared only between extra.* keys.
	for i := range e.fields {
		f := &e.fields[i]
		if f.rank == rank && (rank != extraRank || f.Key == key) {
			return i, true
		}
	}
	return -1, false
}

// Get returns the canonical text of key's value.
func (e *Event) Get(key string) (string, bool) {
	if i, ok := e.find(key); ok {
		if e.fields[i].Kind == kindRawJoined {
			e.encodeRaw(i)
		}
		return e.fields[i].Value, true
	}
	return "", false
}

// Has reports whether key is set.
func (e *Event) Has(key string) bool { _, ok := e.find(key); return ok }

// Delete removes key.
func (e *Event) Delete(key string) {
	if i, ok := e.find(key); ok {
		e.mark(e.fields[i].rank, -1)
		e.fields = append(e.fields[:i], e.fields[i+1:]...)
	}
}

func (e *Event) put(key, value string, kind Kind) { e.putRank(rankOf(key), key, value, kind) }

func (e *Event) putRank(rank int32, key, value string, kind Kind) {
	e.putField(Field{rank: rank, Key: key, Value: value, Kind: kind})
}

func (e *Event) putField(f Field) {
	// A field that sorts after the last of a sorted event cannot be in it
	// yet: no search, and the event stays sorted. A parser that sets its
	// keys in order (see shadowserver's plan) only ever takes this path.
	if n := len(e.fields); !e.unsorted && (n == 0 || less(&e.fields[n-1], &f)) {
		e.mark(f.rank, 1)
		e.fields = append(e.fields, f)
		return
	}
	if i, ok := e.findRank(f.rank, f.Key); ok {
		e.fields[i] = f
		return
	}
	// A new key that did not sort after the last field sorts before it
	// (an equal key would have been found), or e was unsorted already.
	e.unsorted = true
	e.mark(f.rank, 1)
	e.fields = append(e.fields, f)
}

// mark counts a field of rank in (delta 1) or out (-1).
func (e *Event) mark(rank int32, delta int) {
	if rank == extraRank {
		e.extras += delta
		return
	}
	bit := uint64(1) << (rank >> 1 & 63)
	if delta > 0 {
		e.known[rank>>7] |= bit
	} else {
		e.known[rank>>7] &^= bit
	}
}

// IsIgnored reports whether a value means "no value" to IntelMQ ("", "-",
// "N/A"): setting it is a no-op, as IntelMQ's Message.add does.
func IsIgnored(v string) bool { return v == "" || v == "-" || v == "N/A" }

// Set validates value for key, normalises it and stores it, replacing any
// earlier value. An ignored value (see IsIgnored) changes nothing. Keys
// under extra. take value as a JSON string; use SetExtraJSON and friends
// for other JSON values. Setting classification.type also sets
// classification.taxonomy, which RSIT derives from it.
func (e *Event) Set(key, value string) error {
	k, ok := keys[key]
	if !ok {
		if IsExtra(key) {
			if !IsIgnored(value) {
				e.put(key, value, KindString)
			}
			return nil
		}
		return &errs.Error{Code: errs.Invalid, Field: key, Message: "unknown harmonization key " + strconv.Quote(key)}
	}
	return e.SetKey(k, value)
}

// SetKey is Set for a key already looked up (see LookupKey): parsers
// resolve their keys once per report, not once per value.
func (e *Event) SetKey(k *Key, value string) error {
	f, ok, err := KeyField(k, value)
	if err != nil || !ok {
		return err
	}
	switch k.Type {
	case ClassificationType:
		e.putRank(taxonomyKey.rank, taxonomyKey.Name, taxonomyOf[f.Value], KindString)
	case ClassificationTaxonomy:
		if t, ok := e.Get("classification.type"); ok && taxonomyOf[t] != f.Value {
			return &errs.Error{Code: errs.Invalid, Field: k.Name,
				Message: k.Name + ": " + strconv.Quote(f.Value) + " does not match classification.type " + strconv.Quote(t)}
		}
	}
	e.putField(f)
	return nil
}

// KeyField validates and normalises value for k as SetKey does, and
// returns the field SetKey would store; ok is false when there is no
// value to store (see IsIgnored). It does not do what needs the event:
// deriving classification.taxonomy from classification.type, and checking
// one against the other. Parsers that gather a row's values before they
// store them in key order (see SetField) use it, or PutKeyField.
func KeyField(k *Key, value string) (f Field, ok bool, err error) {
	ok, err = PutKeyField(&f, k, value)
	return f, ok, err
}

// PutKeyField is KeyField storing the field in *dst, when there is one
// (ok), instead of returning it. A parser that keeps a field per key (see
// shadowserver's plan) saves a copy: a returned field is built on the
// stack and copied with wide loads of what was just stored in pieces,
// which the CPU cannot forward, and that stalled it on every such value.
// *dst is left alone when ok is false.
func PutKeyField(dst *Field, k *Key, value string) (ok bool, err error) {
	if IsIgnored(value) {
		return false, nil
	}
	if k.Type == JSON {
		dst.set(extraRank, k.Name, value, KindString, false)
		return true, nil
	}
	v, kind, err := normalise(k, value)
	if err != nil {
		return false, &errs.Error{Code: errs.Invalid, Field: k.Name,
			Message: k.Name + ": invalid " + k.Type.String() + " " + strconv.Quote(clip(value)) + ": " + err.Error()}
	}
	if IsIgnored(v) {
		// " -" trims to "-": a null marker after normalising is no value
		// either, or the stored value would vanish when set again.
		return false, nil
	}
	dst.set(k.rank, k.Name, v, kind, plainType[k.Type])
	return true, nil
}

// set makes f the field of a known key (not an extra.* one that has
// plainKey), one member at a time: see PutKeyField.
func (f *Field) set(rank int32, key, value string, kind Kind, plain bool) {
	f.rank, f.Kind, f.plain, f.plainKey, f.Key, f.Value = rank, kind, plain, false, key, value
}

// SetField stores f, replacing any earlier value of its key. f comes from
// KeyField, the Extra* constructors, or another event's
// Fields: its value was validated when it was made.
func (e *Event) SetField(f Field) { e.putField(f) }

// AppendOrdered appends *f without comparing it with the last field or
// searching for its key. The caller must know that f's key sorts after
// every key e has (see CompareKeys): a parser that put its keys in order
// once per report (see shadowserver's plan) does, and saves the string
// comparisons SetField makes to find out.
//
// f is a pointer so that the field is copied once, from the caller's
// memory into e's: passed by value, it went through a copy on the stack
// whose overlapping wide moves the CPU could not forward to the second
// copy's loads: a stall on every field of every event.
func (e *Event) AppendOrdered(f *Field) {
	e.mark(f.rank, 1)
	// Not append(e.fields, *f), which copies *f to the stack first.
	n := len(e.fields)
	if n == cap(e.fields) {
		e.fields = slices.Grow(e.fields, 1)
	}
	e.fields = e.fields[:n+1]
	e.fields[n] = *f
}

// CompareKeys orders two key names as an event's fields are ordered
// (and written in JSON): -1, 0 or 1. A name that is not a known key is
// ranked as the Extra* constructors and SetExtra* rank it, which take any
// name unchecked: even "extra." alone (a report column with an empty
// name), which Set would refuse.
func CompareKeys(a, b string) int {
	return compareFields(Field{rank: storedRank(a), Key: a}, Field{rank: storedRank(b), Key: b})
}

func storedRank(key string) int32 {
	if k, ok := keys[key]; ok {
		return k.rank
	}
	return extraRank
}

// plainType marks the types whose normalised values are ASCII without
// quotes or backslashes, so JSON encoding copies them unscanned.
var plainType = [...]bool{
	IPAddress: true, IPNetwork: true, FQDN: true, DateTime: true, ClassificationTaxonomy: true,
	ClassificationType: true, TLP: true, Base64: true, JSON: false,
}

var taxonomyKey = keys["classification.taxonomy"]

// SetRawBase64 stores raw already base64-encoded, unchecked: for parsers
// that encode a shared prefix once per report (see shadowserver).
func (e *Event) SetRawBase64(b64 string) {
	e.putField(Field{rank: rawKey.rank, Key: rawKey.Name, Value: b64, Kind: KindString, plain: true})
}

var rawKey = keys["raw"]

// kindRawJoined marks the raw field SetRawJoined stores: its Value is the
// unencoded rest, e.rawHead and e.rawTail what goes before it. Only
// AppendJSON writes it as it is; Get and Fields encode it first, so no
// other code sees it.
const kindRawJoined Kind = 255

// SetRawJoined stores as raw the base64 encoding of head + tail + rest,
// where head64 is head already encoded (a whole number of 3-byte groups,
// so without padding), unchecked. tail and rest are encoded only when raw
// is read or the event is written in JSON, straight into the output: a
// parser whose rows share a prefix (Shadowserver's header line) encodes
// most of it once per report and keeps the row's own text as it is, and
// an event whose raw is never written (the pipeline keeps raw in the
// report archive) never encodes it.
func (e *Event) SetRawJoined(head64, tail, rest string) {
	e.putField(Field{rank: rawKey.rank, Key: rawKey.Name, Value: rest, Kind: kindRawJoined, plain: true})
	e.rawHead, e.rawTail = head64, tail
}

// encodeRaw replaces the joined raw field i by its base64 text.
func (e *Event) encodeRaw(i int) {
	f := &e.fields[i]
	f.Value = string(e.appendRaw(nil, f.Value))
	f.Kind = KindString
}

// appendRaw appends the base64 encoding of a joined raw whose rest is rest.
func (e *Event) appendRaw(b []byte, rest string) []byte {
	enc := base64.StdEncoding
	b = append(b, e.rawHead...)
	if tail := e.rawTail; tail != "" {
		// The tail and the start of rest make the next 3-byte group.
		var g [3]byte
		n := copy(g[:], tail)
		took := copy(g[n:], rest)
		b = enc.AppendEncode(b, g[:n+took])
		if n+took < 3 {
			return b // it was all there is, padded
		}
		rest = rest[took:]
	}
	return appendBase64(b, rest)
}

// SetRaw stores data, base64-encoded, as raw.
func (e *Event) SetRaw(data []byte) {
	e.SetRawBase64(base64.StdEncoding.EncodeToString(data))
}

// SetExtraJSON stores a JSON value under key (which must start with extra.).
func (e *Event) SetExtraJSON(key string, raw []byte) error {
	if !IsExtra(key) {
		return errs.Field(key, "not an extra. key")
	}
	if !validJSON(raw) {
		return errs.Field(key, "invalid JSON %q", clip(string(raw)))
	}
	e.put(key, string(compactJSON(raw)), KindJSON)
	return nil
}

// SetExtraString, SetExtraInt, SetExtraFloat and SetExtraBool store typed
// extra values without a JSON round trip.
// The key must start with extra. (not checked: these are for parsers that
// build their keys from a schema).
func (e *Event) SetExtraString(key, v string) { e.putField(ExtraString(key, v)) }

func (e *Event) SetExtraInt(key string, v int64) { e.putField(ExtraInt(key, v)) }

func (e *Event) SetExtraFloat(key string, v float64) { e.putField(ExtraFloat(key, v)) }

func (e *Event) SetExtraBool(key string, v bool) { e.putField(ExtraBool(key, v)) }

// ExtraString, ExtraInt, ExtraFloat and ExtraBool are the fields the
// SetExtra* methods store (for SetField).
func ExtraString(key, v string) Field {
	return Field{rank: extraRank, Key: key, Value: v, Kind: KindString}
}

// ExtraKey is an extra.* key whose JSON form was checked once: fields made
// with it are encoded without looking at the key again (a Shadowserver
// event has thirty such keys). A parser makes its keys once per report.
type ExtraKey struct {
	name  string
	plain bool // the name needs no escaping in JSON
}

// NewExtraKey returns the key named name, which must start with extra.
// (not checked, as for SetExtraString).
func NewExtraKey(name string) ExtraKey {
	k := ExtraKey{name: name, plain: true}
	for i := 0; i < len(name); i++ {
		k.plain = k.plain && plain[name[i]]
	}
	return k
}

// Name is the key's name.
func (k ExtraKey) Name() string { return k.name }

// String, Number, Int, Float and Bool are ExtraString, ExtraNumber,
// ExtraInt, ExtraFloat and ExtraBool with k.
func (k ExtraKey) String(v string) Field { return k.with(ExtraString(k.name, v)) }

func (k ExtraKey) Number(canonical string) Field { return k.with(ExtraNumber(k.name, canonical)) }

func (k ExtraKey) Int(v int64) Field { return k.with(ExtraInt(k.name, v)) }

func (k ExtraKey) Float(v float64) Field { return k.with(ExtraFloat(k.name, v)) }

func (k ExtraKey) Bool(v bool) Field { return k.with(ExtraBool(k.name, v)) }

func (k ExtraKey) with(f Field) Field {
	f.plainKey = k.plain
	return f
}

// ExtraNumber is the field of a number already in its canonical text
// (see CanonicalInt), unchecked.
func ExtraNumber(key, canonical string) Field {
	return Field{rank: extraRank, Key: key, Value: canonical, Kind: KindNumber}
}

func ExtraInt(key string, v int64) Field {
	return Field{rank: extraRank, Key: key, Value: strconv.FormatInt(v, 10), Kind: KindNumber}
}

func ExtraFloat(key string, v float64) Field {
	return Field{rank: extraRank, Key: key, Value: FormatFloat(v), Kind: KindNumber}
}

func ExtraBool(key string, v bool) Field {
	return Field{rank: extraRank, Key: key, Value: strconv.FormatBool(v), Kind: KindBool}
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

func compactJSON(raw []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return raw
	}
	return buf.Bytes()
}

func sortKeys(ks []*Key) { sort.Slice(ks, func(i, j int) bool { return ks[i].Name < ks[j].Name }) }

// CopyFrom makes e a copy of src, reusing e's storage: a parser builds the
// fields every event of a report shares once, and starts each row from it.
func (e *Event) CopyFrom(src *Event) {
	fields := append(e.fields[:0], src.fields...)
	*e = *src
	e.fields = fields
}

// Merge sets every field of src in e, replacing e's values: IntelMQ's
// event.update, used for a feed's constant fields. src's values were
// validated when they were set in it.
func (e *Event) Merge(src *Event) {
	for _, f := range src.fields {
		e.putField(f)
		if f.Kind == kindRawJoined {
			e.rawHead, e.rawTail = src.rawHead, src.rawTail
		}
	}
}
