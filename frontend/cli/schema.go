package cli

import (
	"fmt"
	"sort"
	"strings"
)

// Option is one command-line option: its names, its argument and how the
// argument is checked. The table of them (options.go's optionTable) is
// the whole command-line vocabulary.
type Option struct {
	// Name is QEMU's name without dashes ("drive", "M"), or Mimic's for
	// its own options.
	Name string
	// Aliases are QEMU's other names of the same option ("M" for
	// "machine").
	Aliases []string
	// LongAliases are Mimic's spellings of a QEMU option, two dashes
	// only ("memory" for "m": --memory 512).
	LongAliases []string
	// Mimic marks Mimic's own options: two dashes only (--stats), except
	// for Short. QEMU's options take one dash or two.
	Mimic bool
	Short string // a Mimic option's one-letter single-dash form ("v")
	// Arg names the argument in the help ("FILE"); "" for an option that
	// takes none (a flag such as -nographic).
	Arg  string
	Help string // one line, for --help

	// Sub-options (QEMU's "-drive file=x,if=none" syntax), when Keys or
	// Variants is set; otherwise the argument is one plain string.
	Implied string // the key of a leading value without "key="
	Keys    []Key  // keys every variant accepts
	// Variants, when set, are selected by the implied key's value (the
	// -device driver, the -netdev type), each with its own keys.
	Variants []Variant
	Noun     string // what a variant is called in messages: "device"
	// VariantOptional lets the implied key be absent (-machine
	// gic-version=2 adds to an earlier -M virt, as QEMU merges them).
	VariantOptional bool
	// Fallback makes a refused variant not an error at once: QEMU tries
	// -accel kvm -accel tcg in turn, and so does Mimic (see applyAccel).
	Fallback bool

	// Unsupported, when set, makes the option an error with this reason:
	// QEMU has it, Mimic does not yet.
	Unsupported string

	apply func(p *parser, a *arg) error
}

// A Key is one sub-option an option accepts.
type Key struct {
	Name string
	Kind Kind
	// Values, when set, are the values accepted (after normalisation:
	// booleans read "on"/"off"); others are refused, with the Value's
	// Reject reason when it has one.
	Values []Value
	Repeat bool   // may be given more than once, all kept (hostfwd, arg); else the last wins, as in QEMU
	Reject string // QEMU has the key, Mimic refuses it for this reason
	Doc    string
}

// Kind is what a sub-option's value is.
type Kind int

const (
	KindString Kind = iota // anything
	KindBool               // on|off|yes|no|true|false|y|n
	KindUint               // decimal, or hexadecimal with 0x
	KindID                 // a QEMU identifier: a letter, then letters, digits, - . _
)

// Value is one value a Key accepts, or refuses with a reason.
type Value struct {
	Name   string
	Reject string
	Doc    string
}

// Variant is one value of an option's implied key that selects further
// keys: a -device driver, a -netdev type.
type Variant struct {
	Name   string
	Alias  string // this name means variant Alias (QEMU's "virtio-net")
	Keys   []Key
	Reject string // QEMU has it, Mimic refuses it for this reason
	Doc    string
}

// keyval reports whether the option takes sub-options.
func (o *Option) keyval() bool { return o.Keys != nil || o.Variants != nil }

// variant finds a variant by name, following an alias.
func (o *Option) variant(name string) *Variant {
	for i := range o.Variants {
		if v := &o.Variants[i]; v.Name == name {
			if v.Alias != "" {
				return o.variant(v.Alias)
			}
			return v
		}
	}
	return nil
}

// supportedVariants lists the variants Mimic accepts, for messages.
func (o *Option) supportedVariants() string {
	var names []string
	for _, v := range o.Variants {
		if v.Reject == "" && v.Alias == "" {
			names = append(names, v.Name)
		}
	}
	return strings.Join(names, ", ")
}

func findKey(keys []Key, name string) *Key {
	for i := range keys {
		if keys[i].Name == name {
			return &keys[i]
		}
	}
	return nil
}

func keyNames(keys []Key) string {
	var names []string
	for _, k := range keys {
		if k.Reject == "" {
			names = append(names, k.Name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// checkKeys checks kvs against keys and returns them normalised:
// booleans as "on"/"off", QEMU's deprecated short-form "noX" as X=off
// (with a warning, as QEMU gives). Every error names the key.
func checkKeys(kvs []KV, keys []Key, warn func(string)) ([]KV, error) {
	out := make([]KV, 0, len(kvs))
	for _, kv := range kvs {
		k := findKey(keys, kv.Key)
		if k == nil && kv.Flag && strings.HasPrefix(kv.Key, "no") {
			if nk := findKey(keys, kv.Key[2:]); nk != nil && nk.Kind == KindBool {
				k, kv = nk, KV{Key: nk.Name, Value: "off", Flag: true}
			}
		}
		if k == nil {
			return nil, fmt.Errorf("unknown key %q (keys: %s)", kv.Key, keyNames(keys))
		}
		if k.Reject != "" {
			return nil, fmt.Errorf("%s: %s", kv.Key, k.Reject)
		}
		if kv.Flag {
			if k.Kind != KindBool {
				return nil, fmt.Errorf("%s needs a value (%s=...)", kv.Key, kv.Key)
			}
			warn(fmt.Sprintf("short-form boolean option %q is deprecated in QEMU; use %s=%s", kv.Key, k.Name, kv.Value))
		}
		v, err := checkValue(k, kv.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, KV{Key: k.Name, Value: v})
	}
	return out, nil
}

func checkValue(k *Key, v string) (string, error) {
	switch k.Kind {
	case KindBool:
		b, ok := ParseBool(v)
		if !ok {
			return "", fmt.Errorf("%s=%s: want on or off", k.Name, v)
		}
		v = "off"
		if b {
			v = "on"
		}
	case KindUint:
		if _, ok := parseUint(v); !ok {
			return "", fmt.Errorf("%s=%s: want a number", k.Name, v)
		}
	case KindID:
		if !validID(v) {
			return "", fmt.Errorf("%s=%s: want an identifier (a letter, then letters, digits, '-', '.', '_')", k.Name, v)
		}
	}
	if k.Values == nil {
		return v, nil
	}
	var ok []string
	for _, val := range k.Values {
		if val.Name == v {
			if val.Reject != "" {
				return "", fmt.Errorf("%s=%s: %s", k.Name, v, val.Reject)
			}
			return v, nil
		}
		if val.Reject == "" {
			ok = append(ok, val.Name)
		}
	}
	return "", fmt.Errorf("%s=%s: want %s", k.Name, v, orList(ok))
}

// orList writes "a", "a or b", "a, b or c".
func orList(s []string) string {
	switch len(s) {
	case 0:
		return "nothing"
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// kvs is a checked sub-option list.
type kvs []KV

// get is the value of the last occurrence of key (QEMU: the last wins).
func (l kvs) get(key string) (string, bool) {
	for i := len(l) - 1; i >= 0; i-- {
		if l[i].Key == key {
			return l[i].Value, true
		}
	}
	return "", false
}

// all is every value of key, in order.
func (l kvs) all(key string) []string {
	var v []string
	for _, kv := range l {
		if kv.Key == key {
			v = append(v, kv.Value)
		}
	}
	return v
}

// on reads a checked boolean key, def when absent.
func (l kvs) on(key string, def bool) bool {
	v, ok := l.get(key)
	if !ok {
		return def
	}
	return v == "on"
}

// without is the list without the given keys.
func (l kvs) without(keys ...string) []KV {
	var out []KV
	for _, kv := range l {
		skip := false
		for _, k := range keys {
			skip = skip || kv.Key == k
		}
		if !skip {
			out = append(out, kv)
		}
	}
	return out
}

// Common value lists.
var (
	onOff = []Value{{Name: "on"}, {Name: "off"}}
)

// onlyOff is a boolean key Mimic accepts only as off (QEMU's default),
// refusing on for reason.
func onlyOff(reason string) []Value {
	return []Value{{Name: "on", Reject: reason}, {Name: "off"}}
}
