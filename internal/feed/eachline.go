package feed

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
)

// EachLine calls fn with every line of r, trimmed, and its 1-based number.
// Unlike LineParser nothing is skipped: some formats carry meaning in
// their comments (URLhaus names its columns there, Team Cymru the format).
func EachLine(ctx context.Context, r io.Reader, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
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
