package stats

import (
	"testing"
	"time"
)

func TestBucketOf(t *testing.T) {
	for _, tc := range []struct {
		secs int64
		want int
	}{{0, 0}, {299, 0}, {300, 1}, {899, 1}, {3600, 4}, {86399, 8}, {86400, 9}, {7775999, 16}, {7776000, 17}, {1 << 40, 17}} {
		if got := BucketOf(tc.secs); got != tc.want {
			t.Errorf("%d s: got bucket %d, want %d", tc.secs, got, tc.want)
		}
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h Histogram
	if d := DurationOf(&h); d.Count != 0 || d.MedianHours != nil || d.P90Hours != nil || d.MeanHours != nil {
		t.Errorf("empty: got %+v, want nothing", d)
	}
	h.Add(4 * 3600) // one value: the estimate is the value
	if d := DurationOf(&h); *d.MedianHours != 4 || *d.P90Hours != 4 || *d.MeanHours != 4 {
		t.Errorf("one of 4 h: got median %v, p90 %v, mean %v; want 4, 4, 4", *d.MedianHours, *d.P90Hours, *d.MeanHours)
	}
	// 100 values spread evenly over 1–2 days: the estimates are within
	// a few percent of the exact ones (1.5 days, 1.9 days).
	h = Histogram{}
	for i := range 100 {
		h.Add(86400 + int64(i)*864)
	}
	d := DurationOf(&h)
	if *d.MedianHours < 35 || *d.MedianHours > 37 || *d.P90Hours < 44.5 || *d.P90Hours > 46.5 {
		t.Errorf("1–2 days: got median %v h, p90 %v h; want about 36 and 45.6", *d.MedianHours, *d.P90Hours)
	}
	// Beyond the last bound: the bucket's mean.
	h = Histogram{}
	h.Add(100 * 86400)
	h.Add(200 * 86400)
	if d := DurationOf(&h); *d.MedianHours != 3600 {
		t.Errorf("100 and 200 days: got median %v h, want 3600", *d.MedianHours)
	}
	if got := SecondsBetween(time.Unix(10, 900), time.Unix(5, 0)); got != 0 {
		t.Errorf("a negative time: got %d, want 0", got)
	}
}
