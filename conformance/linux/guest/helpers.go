package guest

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"testing"
)

// HexSHA256 is the sha256 of b as sha256sum prints it.
func HexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// FreePort returns a loopback TCP port nobody listens on (a small race
// with other processes is accepted), for hostfwd.
func FreePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
