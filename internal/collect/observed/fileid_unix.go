//go:build unix

package observed

import (
	"os"
	"strconv"
	"syscall"
)

// fileID names the file behind fi by device and inode: a log rotated
// away and replaced by a new file of the same name is another file.
func fileID(fi os.FileInfo) string {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(uint64(st.Ino), 10)
	}
	return ""
}
