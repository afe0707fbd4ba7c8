package microsoft

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/qalxan/qalxan/internal/event"
)

// object decodes a JSON object, numbers kept as written.
func object(rec []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(rec))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	if m == nil {
		return nil, errors.New("not a JSON object")
	}
	return m, nil
}

// text gives a scalar as the text Set takes; ok is false for null, lists
// and objects.
func text(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return string(v), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// set stores v under key: scalars through Set (validated), anything else
// as JSON under extra.
func set(e *event.Event, key string, v any) error {
	if v == nil {
		return nil
	}
	if event.IsExtra(key) {
		switch v := v.(type) {
		case string:
			if !event.IsIgnored(v) {
				e.SetExtraString(key, v)
			}
			return nil
		default:
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			return e.SetExtraJSON(key, b)
		}
	}
	s, ok := text(v)
	if !ok {
		return fmt.Errorf("%s: want a single value, got %v", key, v)
	}
	return e.Set(key, s)
}

// number is v as a float64, for the feeds' confidences and timestamps.
func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}
