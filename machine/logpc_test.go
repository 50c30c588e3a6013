package machine

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestWithPC(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(WithPC(slog.NewTextHandler(&buf, nil), func() uint32 { return 0x1234 }))
	log.Warn("guest error: uart: read of bad offset", "offset", "0x44")
	log.Warn("guest error: undefined instruction", "pc", "0x00000100")
	log.Info("booting")
	got := buf.String()
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "offset=0x44 pc=0x00001234") ||
		strings.Count(lines[1], "pc=") != 1 || strings.Contains(lines[2], "pc=") {
		t.Errorf("log:\n%s", got)
	}
}
