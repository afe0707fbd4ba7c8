package enrich

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
)

// maxLineErrors bounds the bad lines kept for the report; a file that is
// wrong throughout needs the first few reasons, not a million of them.
const maxLineErrors = 100

// maxLineLen bounds one line. The longest real line (an IPv6 range and a
// long AS name) is a few hundred bytes.
const maxLineLen = 64 << 10

// LineError is a line of a range file that was skipped, and why.
type LineError struct {
	Line   int
	Reason string
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// OpenRanges loads an IP-range CSV file (see LoadRanges); a name ending in
// ".gz" is decompressed on the fly.
func OpenRanges(path string) (*RangeTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("enrich: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("enrich: %s: %w", path, err)
		}
		defer z.Close()
		r = z
	}
	t, err := LoadRanges(r)
	if err != nil {
		return nil, fmt.Errorf("enrich: %s: %w", path, err)
	}
	return t, nil
}

// LoadRanges reads IP ranges in the CSV layouts of ip-location-db, IPv4 and
// IPv6 alike, one range per line, without a header:
//
//	start,end,asn,org          1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."
//	start,end,country_code     1.0.0.0,1.0.0.255,AU
//	start,end,country_code,…   (the city layout: the country is read)
//
// The layout is recognised per line from the third field: a number (or
// "AS" and a number) is an AS, two letters a country. A first line whose
// first field has no digit is taken for a header and skipped.
//
// The input is streamed. Lines that do not parse are skipped and reported
// by BadLines with their line number. Ranges may come in any order and may
// overlap: where they do, the narrowest range wins (as in a longest-prefix
// match: a customer's sub-allocation is more specific than its provider's
// block), and among equally wide ranges the later line wins, so a
// correction appended to a file takes effect. An error is returned only when
// reading fails or no line was usable.
func LoadRanges(r io.Reader) (*RangeTable, error) {
	l := loader{index: map[IPInfo]uint32{}, t: &RangeTable{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLineLen)
	var fields []string
	for sc.Scan() {
		l.t.lines++
		line := sc.Text()
		if l.t.lines == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		var err error
		fields, err = splitCSVLine(fields[:0], line)
		if err == nil && l.t.lines == 1 && isHeader(fields) {
			continue
		}
		if err == nil {
			err = l.add(fields)
		}
		if err != nil {
			l.t.bad++
			if len(l.t.first) < maxLineErrors {
				l.t.first = append(l.t.first, LineError{l.t.lines, err.Error()})
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes", l.t.lines+1, maxLineLen)
		}
		return nil, err
	}
	if len(l.raw4)+len(l.raw6) == 0 {
		switch {
		case l.t.bad > 0:
			return nil, fmt.Errorf("no usable IP ranges: all %d data lines are bad (first %v)", l.t.bad, l.t.first[0])
		default:
			return nil, errors.New("no usable IP ranges: no data lines")
		}
	}
	l.t.v4 = toRange4(normalise(l.raw4))
	l.t.idx4 = buildIndex4(l.t.v4)
	l.t.v6 = toRange6(normalise(l.raw6))
	return l.t, nil
}

// loader collects ranges as read, before sorting and overlap resolution.
type loader struct {
	t          *RangeTable
	index      map[IPInfo]uint32 // interns IPInfo: ranges of one AS share it
	raw4, raw6 []rawRange
}

// rawRange is a range as read; seq orders equally wide overlapping ranges.
type rawRange struct {
	start, end u128
	info       uint32
	seq        int
}

func (l *loader) add(f []string) error {
	if len(f) < 3 {
		return fmt.Errorf("want at least 3 fields (start,end,asn|country), got %d", len(f))
	}
	start, err := parseRangeAddr(f[0])
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	end, err := parseRangeAddr(f[1])
	if err != nil {
		return fmt.Errorf("end: %w", err)
	}
	if start.Is4() != end.Is4() {
		return fmt.Errorf("start %s and end %s are of different IP versions", start, end)
	}
	if end.Less(start) {
		return fmt.Errorf("end %s is before start %s", end, start)
	}
	info, err := parseRangeInfo(f[2:])
	if err != nil {
		return err
	}
	r := rawRange{start: addrNum(start), end: addrNum(end), info: l.intern(info), seq: l.t.lines}
	if start.Is4() {
		l.raw4 = append(l.raw4, r)
	} else {
		l.raw6 = append(l.raw6, r)
	}
	return nil
}

func (l *loader) intern(info IPInfo) uint32 {
	if i, ok := l.index[info]; ok {
		return i
	}
	// Clone so the table does not pin the line each name was cut from.
	info.ASName = strings.Clone(info.ASName)
	info.CountryCode = strings.Clone(info.CountryCode)
	i := uint32(len(l.t.infos))
	l.t.infos = append(l.t.infos, info)
	l.index[info] = i
	return i
}

func parseRangeAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, err
	}
	if a.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("address %q has a zone", s)
	}
	// ::ffff:1.2.3.4 is an IPv4 address; lookups unmap too.
	return a.Unmap(), nil
}

// parseRangeInfo reads the fields after start and end.
func parseRangeInfo(f []string) (IPInfo, error) {
	v := strings.TrimSpace(f[0])
	if v == "" {
		return IPInfo{}, errors.New("third field (asn or country) is empty")
	}
	if isDigit(v[len(v)-1]) {
		n, ok := ParseASN(v)
		if !ok {
			return IPInfo{}, fmt.Errorf("bad AS number %q", v)
		}
		info := IPInfo{ASN: n}
		if len(f) > 1 {
			info.ASName = strings.TrimSpace(f[1])
		}
		return info, nil
	}
	cc := normaliseCountry(v)
	if cc == "" {
		return IPInfo{}, fmt.Errorf("third field %q is neither an AS number nor a two-letter country code", v)
	}
	return IPInfo{CountryCode: cc}, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isHeader recognises a header line ("start,end,asn,org"): a first field
// that is not an address and has no digit, as a mistyped address would.
func isHeader(f []string) bool {
	if len(f) == 0 || strings.ContainsFunc(f[0], func(r rune) bool { return '0' <= r && r <= '9' }) {
		return false
	}
	_, err := netip.ParseAddr(strings.TrimSpace(f[0]))
	return err != nil
}
