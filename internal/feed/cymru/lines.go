package cymru

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/qalxan/qalxan/internal/feed"
)

// eachLine calls fn with every line of r, trimmed, and its 1-based number.
// Team Cymru's files carry meaning in their comments (the format, the
// date), so unlike feed.LineParser nothing is skipped here.
func eachLine(ctx context.Context, r io.Reader, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), feed.MaxLine)
	n := 0
	for sc.Scan() {
		n++
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(n, strings.TrimSpace(sc.Text())); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", n+1, err)
	}
	return nil
}
