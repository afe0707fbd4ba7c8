package event

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
)

// TestAgainstMapModel drives an Event and a plain map with the same random
// sets, deletes, copies and resets, and checks they agree: the presence
// bits, the lazy sort and CopyFrom must never lose or duplicate a field.
func TestAgainstMapModel(t *testing.T) {
	keys := []string{"source.ip", "source.port", "destination.port", "feed.name", "time.source",
		"extra.a", "extra.b", "extra.zz", "extra.a.b", "raw", "malware.name", "classification.identifier"}
	vals := map[string]func(int) string{
		"source.ip": func(i int) string { return "192.0.2." + strconv.Itoa(i%250) },
		"time.source": func(i int) string {
			return "2026-11-20 10:00:" + strconv.Itoa(10+i%50)
		},
		"raw": func(int) string { return "aGVsbG8=" },
	}
	r := rand.New(rand.NewPCG(1, 2))
	e, base := New(0), New(0)
	model, baseModel := map[string]any{}, map[string]any{}
	for step := 0; step < 20000; step++ {
		k := keys[r.IntN(len(keys))]
		switch op := r.IntN(10); {
		case op < 6:
			v := strconv.Itoa(r.IntN(1000) + 1)
			if f, ok := vals[k]; ok {
				v = f(r.IntN(1000))
			}
			if err := e.Set(k, v); err != nil {
				t.Fatalf("Set(%s, %s): %v", k, v, err)
			}
			got, _ := e.Get(k)
			var want any = got
			if kk, _ := LookupKey(k); kk.Type == Integer {
				want, _ = strconv.ParseFloat(got, 64)
			}
			model[k] = want
		case op < 8:
			e.Delete(k)
			delete(model, k)
		case op == 8:
			base.CopyFrom(e)
			baseModel = clone(model)
		default:
			if r.IntN(2) == 0 {
				e.CopyFrom(base)
				model = clone(baseModel)
			} else {
				e.Reset()
				model = map[string]any{}
			}
		}
		if step%97 == 0 || step == 19999 {
			var got map[string]any
			if err := json.Unmarshal(e.AppendJSON(nil), &got); err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				got = map[string]any{}
			}
			if !reflect.DeepEqual(got, model) || e.Len() != len(model) {
				t.Fatalf("step %d: got %v (len %d), want %v", step, got, e.Len(), model)
			}
			for _, k := range keys {
				if _, ok := model[k]; ok != e.Has(k) {
					t.Fatalf("step %d: Has(%s) = %v, want %v", step, k, !ok, ok)
				}
			}
		}
	}
}

func clone(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
