package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseKeyVals(t *testing.T) {
	tests := []struct {
		s, implied string
		want       []KV
		err        string // substring of the error; "" for none
	}{
		{s: "", want: nil},
		{s: "file=a.img,if=none,id=d0", want: []KV{{Key: "file", Value: "a.img"}, {Key: "if", Value: "none"}, {Key: "id", Value: "d0"}}},
		// Implied keys: the leading value without "key=".
		{s: "user,id=n0", implied: "type", want: []KV{{Key: "type", Value: "user"}, {Key: "id", Value: "n0"}}},
		{s: "virtio-blk-device,drive=d0", implied: "driver", want: []KV{{Key: "driver", Value: "virtio-blk-device"}, {Key: "drive", Value: "d0"}}},
		{s: "512", implied: "size", want: []KV{{Key: "size", Value: "512"}}},
		{s: "3", implied: "shift", want: []KV{{Key: "shift", Value: "3"}}},
		{s: "virt,gic-version=2", implied: "type", want: []KV{{Key: "type", Value: "virt"}, {Key: "gic-version", Value: "2"}}},
		// The implied key can also be written out.
		{s: "type=user,id=n0", implied: "type", want: []KV{{Key: "type", Value: "user"}, {Key: "id", Value: "n0"}}},
		// Only the first element can be implied; later ones are flags.
		{s: "id=n0,user", implied: "type", want: []KV{{Key: "id", Value: "n0"}, {Key: "user", Value: "on", Flag: true}}},
		// ",," is a literal comma: qemu-system(1), -drive file=: "file=my,,file".
		{s: "file=my,,file", want: []KV{{Key: "file", Value: "my,file"}}},
		{s: "file=a,,,,b,if=none", want: []KV{{Key: "file", Value: "a,,b"}, {Key: "if", Value: "none"}}},
		{s: "file=a,,,if=none", want: []KV{{Key: "file", Value: "a,"}, {Key: "if", Value: "none"}}},
		{s: "arg=a,arg=b,,c", want: []KV{{Key: "arg", Value: "a"}, {Key: "arg", Value: "b,c"}}},
		// An implied value is read like any value: ",," escapes, and an
		// "=" after a doubled comma belongs to it (QEMU does the same).
		{s: "a,,b=c,id=x", implied: "type", want: []KV{{Key: "type", Value: "a,b=c"}, {Key: "id", Value: "x"}}},
		// "=" inside a value is data.
		{s: "append=console=ttyAMA0", want: []KV{{Key: "append", Value: "console=ttyAMA0"}}},
		{s: "hostfwd=tcp::5555-:22", want: []KV{{Key: "hostfwd", Value: "tcp::5555-:22"}}},
		// Flags: QEMU's short-form booleans.
		{s: "file=x,readonly", want: []KV{{Key: "file", Value: "x"}, {Key: "readonly", Value: "on", Flag: true}}},
		{s: "readonly", want: []KV{{Key: "readonly", Value: "on", Flag: true}}},
		{s: "x.img", want: []KV{{Key: "x.img", Value: "on", Flag: true}}},
		// A trailing comma ends the list; empty values are values.
		{s: "file=x,", want: []KV{{Key: "file", Value: "x"}}},
		{s: "file=,if=none", want: []KV{{Key: "file", Value: ""}, {Key: "if", Value: "none"}}},
		{s: ",id=x", implied: "type", want: []KV{{Key: "type", Value: ""}, {Key: "id", Value: "x"}}},
		// Keys may repeat; all are kept, in order.
		{s: "size=256M,size=512M", want: []KV{{Key: "size", Value: "256M"}, {Key: "size", Value: "512M"}}},
		// Errors.
		{s: "=x", err: "missing key"},
		{s: "file=x,=y", err: "missing key"},
		{s: ",id=x", err: "empty sub-option"},
	}
	for _, tt := range tests {
		got, err := ParseKeyVals(tt.s, tt.implied)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseKeyVals(%q, %q) error = %v, want %q", tt.s, tt.implied, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseKeyVals(%q, %q): %v", tt.s, tt.implied, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseKeyVals(%q, %q) (-want +got):\n%s", tt.s, tt.implied, diff)
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, s := range []string{"on", "yes", "true", "y"} {
		if v, ok := ParseBool(s); !v || !ok {
			t.Errorf("ParseBool(%q) = %v, %v; want true", s, v, ok)
		}
	}
	for _, s := range []string{"off", "no", "false", "n"} {
		if v, ok := ParseBool(s); v || !ok {
			t.Errorf("ParseBool(%q) = %v, %v; want false", s, v, ok)
		}
	}
	// QEMU is case-sensitive: readonly=TRUE is "expects 'on' or 'off'".
	for _, s := range []string{"TRUE", "On", "1", "0", "", "enabled"} {
		if _, ok := ParseBool(s); ok {
			t.Errorf("ParseBool(%q) accepted", s)
		}
	}
}

func TestParseSize(t *testing.T) {
	const M = 1 << 20
	tests := []struct {
		s    string
		unit uint64
		want uint64
		bad  bool
	}{
		{s: "512", unit: M, want: 512 * M},
		{s: "512M", unit: M, want: 512 * M},
		{s: "512m", unit: M, want: 512 * M},
		{s: "1G", unit: M, want: 1 << 30},
		{s: "1.5G", unit: M, want: 3 << 29},
		{s: "0.5G", unit: M, want: 512 * M},
		{s: "512K", unit: M, want: 512 << 10},
		{s: "256B", unit: M, want: 256},
		{s: "2T", unit: M, want: 2 << 40},
		{s: "0x100", unit: M, want: 256 * M},
		{s: "0x100M", unit: M, want: 256 * M},
		{s: "4096", unit: 1, want: 4096},
		{s: "0", unit: M, want: 0},
		{s: "lots", bad: true},
		{s: "", bad: true},
		{s: "M", bad: true},
		{s: "-1", bad: true},
		{s: "1.", bad: true},
		{s: ".5G", bad: true},
		{s: "1.5B", bad: true},
		{s: "1.5", unit: 1, bad: true},
		{s: "1 G", bad: true},
		{s: "99999999999999999999", unit: 1, bad: true},
		{s: "17179869184G", unit: M, bad: true}, // 2^64 bytes
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.s, max(tt.unit, 1))
		if tt.bad {
			if err == nil {
				t.Errorf("ParseSize(%q) = %d, want an error", tt.s, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q, %d) = %d, %v; want %d", tt.s, tt.unit, got, err, tt.want)
		}
	}
}

func TestValidID(t *testing.T) {
	for _, s := range []string{"d0", "n0", "drive-virtio-disk0", "a.b_c-d", "VIRTIO1"} {
		if !validID(s) {
			t.Errorf("validID(%q) = false", s)
		}
	}
	for _, s := range []string{"", "0d", "-x", "a b", "a,b", "a=b", "_x"} {
		if validID(s) {
			t.Errorf("validID(%q) = true", s)
		}
	}
}

// FuzzParseKeyVals checks that no input panics and that what parses
// can be written back and parses the same.
func FuzzParseKeyVals(f *testing.F) {
	for _, s := range []string{"file=my,,file", "user,id=n0,hostfwd=tcp::5555-:22", "a,,b=c", ",", "=", "x,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kvs, err := ParseKeyVals(s, "type")
		if err != nil {
			return
		}
		var parts []string
		for i, kv := range kvs {
			v := strings.ReplaceAll(kv.Value, ",", ",,")
			switch {
			case kv.Flag:
				parts = append(parts, kv.Key)
			case i == 0 && kv.Key == "type" && !strings.Contains(v, "=") && v != "":
				parts = append(parts, v)
			default:
				parts = append(parts, kv.Key+"="+v)
			}
		}
		again, err := ParseKeyVals(strings.Join(parts, ","), "type")
		if err != nil {
			t.Fatalf("%q parsed as %q, which does not parse: %v", s, parts, err)
		}
		if diff := cmp.Diff(kvs, again); diff != "" {
			t.Fatalf("%q: round trip through %q (-first +again):\n%s", s, parts, diff)
		}
	})
}
