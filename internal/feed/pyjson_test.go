package feed

import "testing"

func TestPythonJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":1,"b":[true,null,"x"]}`, `{"a": 1, "b": [true, null, "x"]}`},
		{`{"z":1,"a":2}`, `{"z": 1, "a": 2}`},
		{`[1.5, 1000.0, 1e3, 2.5e-7, 1e16, -0.25]`, `[1.5, 1000.0, 1000.0, 2.5e-07, 1e+16, -0.25]`},
		{`"a\/b \u00e9 \ud83d\ude00 \n\u0001\u007f"`, `"a/b \u00e9 \ud83d\ude00 \n\u0001\u007f"`},
		{`{}`, `{}`},
	}
	for _, tt := range tests {
		got, err := PythonJSON(nil, []byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: got %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{`{"a":`, `[1,]`, `1 2`} {
		if _, err := PythonJSON(nil, []byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestPythonJSONSorted(t *testing.T) {
	got, err := PythonJSONSorted(nil, []byte(`{"z":{"b":1,"a":[2.0,"\u00e9"]},"a":null,"Tags":1,"TLPLevel":2}`))
	if want := `{"TLPLevel": 2, "Tags": 1, "a": null, "z": {"a": [2.0, "\u00e9"], "b": 1}}`; err != nil || string(got) != want {
		t.Errorf("got %s, %v; want %s", got, err, want)
	}
}
