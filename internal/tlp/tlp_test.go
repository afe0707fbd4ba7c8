package tlp

import "testing"

func TestParse(t *testing.T) {
	for in, want := range map[string]Label{
		"amber": Amber, "TLP:AMBER": Amber, " tlp:amber+strict ": AmberStrict, "WHITE": Clear, "clear": Clear, "Red": Red, "green": Green,
	} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q): got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "amber-strict", "purple", "tlp:"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q): got no error", in)
		}
	}
	if !(Clear.Rank() < Green.Rank() && Green.Rank() < Amber.Rank() && Amber.Rank() < AmberStrict.Rank() && AmberStrict.Rank() < Red.Rank()) {
		t.Error("ranks are not ordered from clear to red")
	}
	if AmberStrict.String() != "TLP:AMBER+STRICT" || Red.Colour() != "#FF2B2B" || Clear.Colour() != "#FFFFFF" {
		t.Errorf("got %s %s %s", AmberStrict, Red.Colour(), Clear.Colour())
	}
}
