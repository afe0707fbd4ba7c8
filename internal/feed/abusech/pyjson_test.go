package abusech

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
		got, err := pythonJSON(nil, []byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: got %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{`{"a":`, `[1,]`, `1 2`} {
		if _, err := pythonJSON(nil, []byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
