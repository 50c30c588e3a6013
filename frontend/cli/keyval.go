package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// KV is one key=value pair of a QEMU sub-option list.
type KV struct {
	Key   string
	Value string
	// Flag marks QEMU's short form of a boolean: a key written without
	// "=value" ("readonly" for readonly=on). Value is then "on".
	Flag bool
}

// ParseKeyVals splits s, written in QEMU's comma-separated sub-option
// syntax (QemuOpts, util/qemu-option.c), into key=value pairs in the
// order given:
//
//   - elements are separated by ",", and ",," in a value stands for a
//     literal "," ("file=my,,disk.img" is the file "my,disk.img");
//   - when implied is not "" and the first element has no "=" before its
//     first ",", the whole element is the value of the implied key
//     ("user,id=n0" with implied "type" is type=user,id=n0);
//   - any other element without "=" is a flag: key=on, with Flag set.
//
// A key may appear more than once; ParseKeyVals keeps every occurrence
// and checks nothing but the syntax (see Option.Keys for the schema).
func ParseKeyVals(s, implied string) ([]KV, error) {
	var kvs []KV
	for p, first := s, true; p != ""; first = false {
		n := strings.IndexAny(p, "=,")
		if n >= 0 && p[n] == '=' {
			if n == 0 {
				return nil, fmt.Errorf("missing key before %q", p)
			}
			v, rest := scanValue(p[n+1:])
			kvs = append(kvs, KV{Key: p[:n], Value: v})
			p = rest
			continue
		}
		if first && implied != "" {
			// QEMU reads the implied value like any value, so ",,"
			// escapes apply and an "=" after a doubled comma is data.
			v, rest := scanValue(p)
			kvs = append(kvs, KV{Key: implied, Value: v})
			p = rest
			continue
		}
		name, rest := p, ""
		if n >= 0 {
			name, rest = p[:n], p[n+1:]
		}
		if name == "" {
			return nil, fmt.Errorf("empty sub-option in %q", s)
		}
		kvs = append(kvs, KV{Key: name, Value: "on", Flag: true})
		p = rest
	}
	return kvs, nil
}

// scanValue reads a value up to the first "," that is not doubled. It
// returns the value, each ",," turned into ",", and what follows the
// separating ",".
func scanValue(p string) (value, rest string) {
	var b strings.Builder
	for {
		i := strings.IndexByte(p, ',')
		if i < 0 {
			b.WriteString(p)
			return b.String(), ""
		}
		b.WriteString(p[:i])
		if i+1 < len(p) && p[i+1] == ',' {
			b.WriteByte(',')
			p = p[i+2:]
			continue
		}
		return b.String(), p[i+1:]
	}
}

// ParseBool reads a QEMU boolean (qapi_bool_parse): on, yes, true, y or
// off, no, false, n. QEMU is case-sensitive here ("TRUE" is refused), and
// so is this.
func ParseBool(s string) (v, ok bool) {
	switch s {
	case "on", "yes", "true", "y":
		return true, true
	case "off", "no", "false", "n":
		return false, true
	}
	return false, false
}

// ParseSize reads a QEMU size (qemu_strtosz): a decimal number, possibly
// with a fraction ("1.5G"), or a hexadecimal integer, then an optional
// suffix B, K, M, G, T, P or E (either case) for a power of 1024. A
// number without a suffix is in units of defUnit bytes: -m takes MiB.
func ParseSize(s string, defUnit uint64) (uint64, error) {
	bad := fmt.Errorf("bad size %q (want e.g. 512, 512M, 1.5G)", s)
	num, unit := s, defUnit
	if n := len(s); n > 0 {
		suffixes := "BKMGTPE"
		if i := strings.IndexByte(suffixes, upper(s[n-1])); i >= 0 && !isHexNumber(s) {
			num, unit = s[:n-1], 1<<(10*i)
		}
	}
	if num == "" {
		return 0, bad
	}
	if isHexNumber(num) {
		v, err := strconv.ParseUint(num[2:], 16, 64)
		if err != nil || v > math.MaxUint64/unit {
			return 0, bad
		}
		return v * unit, nil
	}
	whole, frac, hasFrac := strings.Cut(num, ".")
	if whole == "" || !allDigits(whole) || hasFrac && (frac == "" || !allDigits(frac) || unit == 1) {
		return 0, bad
	}
	w, err := strconv.ParseUint(whole, 10, 64)
	if err != nil || w > math.MaxUint64/unit {
		return 0, bad
	}
	v := w * unit
	if hasFrac {
		f, _ := strconv.ParseFloat("0."+frac, 64)
		extra := uint64(f * float64(unit)) // truncated, as QEMU does
		if v > math.MaxUint64-extra {
			return 0, bad
		}
		v += extra
	}
	return v, nil
}

func isHexNumber(s string) bool {
	return len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isHex(s[2:])
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// parseUint reads a QEMU number option (qemu_strtou64, base 0): decimal,
// or hexadecimal with 0x.
func parseUint(s string) (uint64, bool) {
	if isHexNumber(s) {
		v, err := strconv.ParseUint(s[2:], 16, 64)
		return v, err == nil
	}
	if !allDigits(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}

// validID reports whether s is a QEMU identifier (id_wellformed): a
// letter, then letters, digits, '-', '.' and '_'.
func validID(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !('0' <= c && c <= '9') && c != '-' && c != '.' && c != '_' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
