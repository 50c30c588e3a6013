package machine

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// WithPC returns a handler that adds the guest's program counter (pc, from
// the function given) to every guest-error record that does not name one
// already. Devices know nothing of the CPU, so their guest errors ("guest
// error: ...", logged through slog) say which device and offset; the PC of
// the access, which a firmware engineer needs to find the code, is added
// here, where the machine knows its CPU.
func WithPC(h slog.Handler, pc func() uint32) slog.Handler { return pcHandler{h, pc} }

type pcHandler struct {
	slog.Handler
	pc func() uint32
}

func (h pcHandler) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "guest error") {
		has := false
		r.Attrs(func(a slog.Attr) bool {
			has = a.Key == "pc"
			return !has
		})
		if !has {
			r = r.Clone()
			r.AddAttrs(slog.String("pc", fmt.Sprintf("%#08x", h.pc())))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h pcHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return pcHandler{h.Handler.WithAttrs(as), h.pc}
}

func (h pcHandler) WithGroup(name string) slog.Handler {
	return pcHandler{h.Handler.WithGroup(name), h.pc}
}
