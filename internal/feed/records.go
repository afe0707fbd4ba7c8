package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// EachRecord streams the elements of a JSON array, calling fn with each
// and its 1-based number, so memory holds one record, not the report.
// JSON has no lines to speak of: a bad record's BadRow.Line is its number.
func EachRecord(ctx context.Context, r io.Reader, fn func(n int, rec json.RawMessage) error) error {
	d := json.NewDecoder(r)
	if t, err := d.Token(); err != nil || t != json.Delim('[') {
		return fmt.Errorf("not a JSON array (%v)", err)
	}
	return EachElement(ctx, d, fn)
}

// EachElement streams the elements of an array whose '[' d has just read
// (at the top of a report, or inside an envelope object), then reads its
// ']'. n counts from 1 within the array.
func EachElement(ctx context.Context, d *json.Decoder, fn func(n int, rec json.RawMessage) error) error {
	var rec json.RawMessage
	for n := 1; d.More(); n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := d.Decode(&rec); err != nil {
			return fmt.Errorf("record %d: %w", n, err)
		}
		if err := fn(n, rec); err != nil {
			return err
		}
	}
	if _, err := d.Token(); err != nil {
		return fmt.Errorf("end of array: %w", err)
	}
	return nil
}
