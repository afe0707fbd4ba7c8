package event

import "testing"

func TestFingerprint(t *testing.T) {
	base := func() *Event {
		e := New(0)
		e.Set("classification.identifier", "open-rdp")
		e.Set("source.ip", "192.0.2.1")
		e.Set("source.port", "3389")
		e.Set("time.source", "2026-11-20 10:00:00")
		e.Set("source.asn", "64496")
		return e
	}
	fp := base().Fingerprint()
	if len(fp) != 64 {
		t.Fatalf("got %q, want 64 hex digits", fp)
	}
	same := []func(*Event){
		func(e *Event) { e.Set("time.source", "2026-11-20 23:59:59") },
		func(e *Event) { e.Set("source.asn", "64497") },
		func(e *Event) { e.Set("extra.banner", "x") },
		func(e *Event) { e.Set("source.ip", " 192.0.2.1 ") },
	}
	for i, change := range same {
		e := base()
		change(e)
		if got := e.Fingerprint(); got != fp {
			t.Errorf("change %d: fingerprint changed, want the same", i)
		}
	}
	differ := []func(*Event){
		func(e *Event) { e.Set("time.source", "2026-11-21 00:00:00") },
		func(e *Event) { e.Set("source.ip", "192.0.2.2") },
		func(e *Event) { e.Set("source.port", "3390") },
		func(e *Event) { e.Set("classification.identifier", "other") },
		func(e *Event) { e.Set("destination.ip", "198.51.100.1") },
		func(e *Event) { e.Delete("source.port") },
	}
	for i, change := range differ {
		e := base()
		change(e)
		if got := e.Fingerprint(); got == fp {
			t.Errorf("change %d: fingerprint unchanged, want a different one", i)
		}
	}
	if a, b := base().FingerprintOf([]string{"source.ip"}), base().FingerprintOf([]string{"source.port"}); a == b {
		t.Error("FingerprintOf with different keys: got equal fingerprints")
	}
}
