package event

import "testing"

func TestTypeSetsTaxonomy(t *testing.T) {
	tests := []struct{ typ, tax string }{
		{"spam", "abusive-content"},
		{"infected-system", "malicious-code"},
		{"scanner", "information-gathering"},
		{"brute-force", "intrusion-attempts"},
		{"system-compromise", "intrusions"},
		{"ddos", "availability"},
		{"data-leak", "information-content-security"},
		{"phishing", "fraud"},
		{"vulnerable-system", "vulnerable"},
		{"undetermined", "other"},
		{"blacklist", "other"},
		{"test", "test"},
	}
	for _, tt := range tests {
		var e Event
		if err := e.Set("classification.type", tt.typ); err != nil {
			t.Fatalf("Set type %q: %v", tt.typ, err)
		}
		if got, _ := e.Get("classification.taxonomy"); got != tt.tax {
			t.Errorf("type %q: got taxonomy %q, want %q", tt.typ, got, tt.tax)
		}
	}
}

func TestTaxonomyMustMatchType(t *testing.T) {
	var e Event
	if err := e.Set("classification.type", "phishing"); err != nil {
		t.Fatal(err)
	}
	if err := e.Set("classification.taxonomy", "vulnerable"); err == nil {
		t.Error("taxonomy vulnerable with type phishing: got no error, want one")
	}
	if err := e.Set("classification.taxonomy", "fraud"); err != nil {
		t.Errorf("taxonomy fraud with type phishing: %v", err)
	}
}

func TestEveryTypeHasOneTaxonomy(t *testing.T) {
	seen := map[string]string{}
	for _, tax := range Taxonomies() {
		for _, typ := range TypesOf(tax) {
			if other, dup := seen[typ]; dup {
				t.Errorf("type %q in both %q and %q", typ, other, tax)
			}
			seen[typ] = tax
		}
	}
	if len(seen) != len(taxonomyOf) {
		t.Errorf("got %d types, want %d", len(seen), len(taxonomyOf))
	}
}
