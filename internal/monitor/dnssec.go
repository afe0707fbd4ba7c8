package monitor

import (
	"context"
	"fmt"
	"strings"

	"github.com/miekg/dns"
)

// dnsChecks runs CAA and DNSSEC for domain.
func (c *Checker) dnsChecks(ctx context.Context, domain string) []Result {
	return append([]Result{c.caaResult(ctx, domain)}, c.dnssecResults(ctx, domain)...)
}

// caaResult looks for CAA at the name and its parents, as a CA does
// (RFC 8659 3), stopping above the registered domain's level.
func (c *Checker) caaResult(ctx context.Context, domain string) Result {
	name := domain
	for strings.Count(name, ".") >= 1 {
		r, err := c.query(ctx, name, dns.TypeCAA)
		if err != nil {
			return result("caa", Error, err.Error())
		}
		var recs []string
		for _, rr := range r.Answer {
			if caa, ok := rr.(*dns.CAA); ok {
				recs = append(recs, fmt.Sprintf("%d %s %q", caa.Flag, caa.Tag, caa.Value))
			}
		}
		if len(recs) > 0 {
			return result("caa", Pass, name+": "+strings.Join(recs, "; "))
		}
		_, name, _ = strings.Cut(name, ".")
	}
	return result("caa", Fail, "no CAA record at "+domain+" or its parents: any CA may issue for it")
}

// zoneOf is the apex of the zone name is in: the SOA's owner.
func (c *Checker) zoneOf(ctx context.Context, name string) (string, error) {
	r, err := c.query(ctx, name, dns.TypeSOA)
	if err != nil {
		return "", err
	}
	for _, sec := range [][]dns.RR{r.Answer, r.Ns} {
		for _, rr := range sec {
			if soa, ok := rr.(*dns.SOA); ok {
				return soa.Hdr.Name, nil
			}
		}
	}
	return "", fmt.Errorf("no SOA for %s", name)
}

// dnssecResults: signed when the zone publishes DNSKEYs; valid when the
// DNSKEY set is signed by one of its keys, the SOA by another (or the
// same), every signature is in its validity period, and the chain of
// trust reaches the parent: the parent zone is signed, publishes a DS
// that matches one of the keys, and that DS set is signed by the parent's
// own (self-signed) keys. A signed zone without a DS is an island no
// validator trusts. The chain above the parent is the resolver's to
// validate.
func (c *Checker) dnssecResults(ctx context.Context, domain string) []Result {
	zone, err := c.zoneOf(ctx, domain)
	if err != nil {
		return []Result{result("dnssec-signed", Error, err.Error()), result("dnssec-valid", Skipped, "no zone")}
	}
	r, err := c.query(ctx, zone, dns.TypeDNSKEY)
	if err != nil {
		return []Result{result("dnssec-signed", Error, err.Error()), result("dnssec-valid", Skipped, "no DNSKEY answer")}
	}
	keys, keySigs := split[*dns.DNSKEY](r.Answer)
	if len(keys) == 0 {
		return []Result{result("dnssec-signed", Fail, "zone "+zone+" publishes no DNSKEY"), result("dnssec-valid", Skipped, "not signed")}
	}
	signed := result("dnssec-signed", Pass, fmt.Sprintf("zone %s has %d DNSKEYs", zone, len(keys)))
	if err := c.verifySet(r.Answer, keys, keySigs); err != nil {
		return []Result{signed, result("dnssec-valid", Fail, "DNSKEY set: "+err.Error())}
	}
	soa, err := c.query(ctx, zone, dns.TypeSOA)
	if err != nil {
		return []Result{signed, result("dnssec-valid", Error, err.Error())}
	}
	_, soaSigs := split[*dns.SOA](soa.Answer)
	if err := c.verifySet(soa.Answer, keys, soaSigs); err != nil {
		return []Result{signed, result("dnssec-valid", Fail, "SOA: "+err.Error())}
	}
	return []Result{signed, c.chainResult(ctx, zone, keys)}
}

// chainResult follows the chain of trust one step up: the parent's DS
// for zone, its match with zone's keys, and its signature by the parent.
func (c *Checker) chainResult(ctx context.Context, zone string, keys []*dns.DNSKEY) Result {
	ev := "DNSKEY and SOA signatures verify"
	_, above, _ := strings.Cut(zone, ".")
	if above == "" {
		return result("dnssec-valid", Pass, ev+"; the root has no parent")
	}
	parent, err := c.zoneOf(ctx, above)
	if err != nil {
		return result("dnssec-valid", Error, ev+"; parent zone of "+zone+": "+err.Error())
	}
	ds, err := c.query(ctx, zone, dns.TypeDS)
	if err != nil {
		return result("dnssec-valid", Error, ev+"; "+err.Error())
	}
	dss, dsSigs := split[*dns.DS](ds.Answer)
	pr, err := c.query(ctx, parent, dns.TypeDNSKEY)
	if err != nil {
		return result("dnssec-valid", Error, ev+"; "+err.Error())
	}
	pkeys, pkeySigs := split[*dns.DNSKEY](pr.Answer)
	switch {
	case len(dss) == 0 && len(pkeys) == 0:
		return result("dnssec-valid", Fail, fmt.Sprintf("%s is signed, but its parent zone %s is not: no chain of trust reaches it", zone, parent))
	case len(dss) == 0:
		return result("dnssec-valid", Fail, fmt.Sprintf("%s is signed, but its parent zone %s publishes no DS for it: validators treat it as unsigned", zone, parent))
	case !dsMatches(dss, keys):
		return result("dnssec-valid", Fail, fmt.Sprintf("no DNSKEY of %s matches the parent's DS (%s)", zone, dsList(dss)))
	case len(pkeys) == 0:
		return result("dnssec-valid", Fail, fmt.Sprintf("the parent zone %s is not signed: its DS for %s cannot be validated", parent, zone))
	}
	if err := c.verifySet(pr.Answer, pkeys, pkeySigs); err != nil {
		return result("dnssec-valid", Fail, fmt.Sprintf("parent zone %s: DNSKEY set: %v", parent, err))
	}
	if err := c.verifySet(ds.Answer, pkeys, dsSigs); err != nil {
		return result("dnssec-valid", Fail, fmt.Sprintf("the DS for %s is not validly signed by its parent %s: %v", zone, parent, err))
	}
	return result("dnssec-valid", Pass, fmt.Sprintf("%s; the DS at %s (%s) matches a key and is signed by %s", ev, parent, dsList(dss), parent))
}

// dsList names DS records by key tag and digest type.
func dsList(dss []*dns.DS) string {
	var out []string
	for _, d := range dss {
		out = append(out, fmt.Sprintf("key %d, digest type %d", d.KeyTag, d.DigestType))
	}
	return strings.Join(out, "; ")
}

// split picks the records of type T and the signatures over a set.
func split[T dns.RR](rrs []dns.RR) ([]T, []*dns.RRSIG) {
	var out []T
	var sigs []*dns.RRSIG
	for _, rr := range rrs {
		switch v := rr.(type) {
		case T:
			out = append(out, v)
		case *dns.RRSIG:
			sigs = append(sigs, v)
		}
	}
	return out, sigs
}

// verifySet checks that some signature over the set covered verifies
// with one of keys and is in its validity period.
func (c *Checker) verifySet(answer []dns.RR, keys []*dns.DNSKEY, sigs []*dns.RRSIG) error {
	if len(sigs) == 0 {
		return fmt.Errorf("no RRSIG")
	}
	var last error
	for _, sig := range sigs {
		var set []dns.RR
		for _, rr := range answer {
			if rr.Header().Rrtype == sig.TypeCovered {
				set = append(set, rr)
			}
		}
		for _, k := range keys {
			if k.KeyTag() != sig.KeyTag || k.Algorithm != sig.Algorithm {
				continue
			}
			if err := sig.Verify(k, set); err != nil {
				last = fmt.Errorf("signature by key %d does not verify: %w", sig.KeyTag, err)
				continue
			}
			if !sig.ValidityPeriod(c.now()) {
				last = fmt.Errorf("signature by key %d is outside its validity period (%s to %s)", sig.KeyTag,
					dns.TimeToString(sig.Inception), dns.TimeToString(sig.Expiration))
				continue
			}
			return nil
		}
	}
	if last == nil {
		last = fmt.Errorf("no DNSKEY matches the signatures' key tags")
	}
	return last
}

func dsMatches(dss []*dns.DS, keys []*dns.DNSKEY) bool {
	for _, ds := range dss {
		for _, k := range keys {
			if d := k.ToDS(ds.DigestType); d != nil && strings.EqualFold(d.Digest, ds.Digest) && d.KeyTag == ds.KeyTag {
				return true
			}
		}
	}
	return false
}
