// Package cli is Mimic's command line: QEMU's vocabulary and grammar
// (qemu-system-arm's options, one dash or two, with comma-separated
// sub-options) plus Mimic's own double-dash options, in one place.
//
// The vocabulary is data: the option table in table.go lists every
// option with its argument, its sub-option keys and their values, and
// what Mimic refuses (with the reason). Parse turns a command line into
// an Options value, checked as a whole: every id referenced exists and
// is used once, as QEMU checks.
//
// How a command line is read:
//
//   - A QEMU option is written -name or --name; its argument is the next
//     word whatever it looks like (-append -x passes "-x"), or follows
//     "=" (--kernel=FILE). Mimic's own options take two dashes (--stats),
//     with -v and -h as short forms.
//   - An option that is not in the table is an error naming it; one that
//     QEMU has and Mimic does not yet is an error saying so. Nothing is
//     silently ignored.
//   - Sub-options follow QEMU's QemuOpts syntax; see ParseKeyVals.
package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// Help is what Parse returns when the command line asks for help
// (--help, -device help, -machine virt,help): print Text and exit
// successfully, as QEMU does.
type Help struct{ Text string }

func (h *Help) Error() string { return "help requested" }

// Parse reads a command line (without the program name). Errors are one
// line each and name the option as written and the offending key, e.g.
// `-drive file=x,foo=1: unknown key "foo" (keys: ...)`. A *Help error
// asks for help instead.
func Parse(args []string) (*Options, error) {
	t := theTable()
	norm, spells, err := t.normalize(args)
	if err != nil {
		return nil, err
	}

	// pflag reads the normalised arguments: only "--name" and
	// "--name=value" remain, so it never sees a single-dash long name.
	var got []*arg
	fs := pflag.NewFlagSet("mimic", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for _, o := range t.options {
		f := fs.VarPF(&recorder{opt: o, got: &got}, t.flag[o], "", o.Help)
		if o.Arg == "" {
			f.NoOptDefVal = "true"
		}
	}
	if err := fs.Parse(norm); err != nil {
		// normalize let through only names and values pflag accepts.
		panic(fmt.Sprintf("BUG: cli: pflag refused normalised arguments %q: %v", norm, err))
	}
	if len(got) != len(spells) {
		panic(fmt.Sprintf("BUG: cli: %d options recorded for %d written", len(got), len(spells)))
	}

	p := &parser{o: &Options{}, last: map[*Option]*arg{}}
	for i, a := range got {
		a.spell = spells[i].spell
		a.hasValue = spells[i].hasValue
		if err := p.do(a); err != nil {
			return nil, err
		}
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (images go after -kernel or in -drive file=)", fs.Arg(0))
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return p.o, nil
}

// table is the option table indexed for lookup.
type table struct {
	options []*Option
	qemu    map[string]*Option // QEMU names and aliases: one dash or two
	mimic   map[string]*Option // Mimic's own names: two dashes
	short   map[string]*Option // Mimic's one-letter forms: one dash
	flag    map[*Option]string // the pflag name
}

func newTable(opts []*Option) *table {
	t := &table{options: opts, qemu: map[string]*Option{}, mimic: map[string]*Option{},
		short: map[string]*Option{}, flag: map[*Option]string{}}
	for _, o := range opts {
		m := t.qemu
		if o.Mimic {
			m = t.mimic
		}
		for _, n := range append([]string{o.Name}, o.Aliases...) {
			if m[n] != nil {
				panic("BUG: cli: option " + n + " defined twice")
			}
			m[n] = o
		}
		for _, n := range o.LongAliases {
			if t.mimic[n] != nil {
				panic("BUG: cli: option " + n + " defined twice")
			}
			t.mimic[n] = o
		}
		if o.Short != "" {
			t.short[o.Short] = o
		}
	}
	for _, o := range opts {
		// QEMU's -trace and Mimic's --trace are different options;
		// pflag needs distinct names, never shown to the user.
		name := o.Name
		if !o.Mimic && t.mimic[name] != nil {
			name = "qemu-" + name
		}
		t.flag[o] = name
	}
	return t
}

// lookup finds the option written with one dash or two.
func (t *table) lookup(name string, double bool) *Option {
	if double {
		if o := t.mimic[name]; o != nil {
			return o
		}
		return t.qemu[name]
	}
	if o := t.qemu[name]; o != nil {
		return o
	}
	return t.short[name]
}

// written is how one option was written on the command line.
type written struct {
	spell    string // "-drive", "--kernel"
	hasValue bool   // an argument was given (for a flag: "=value")
}

// normalize rewrites every option to "--pflagname" or
// "--pflagname=value" for pflag, reporting unknown options by name and
// taking an option's argument from the next word whatever it looks
// like, as QEMU does. It returns how each option was written, in order.
func (t *table) normalize(args []string) ([]string, []written, error) {
	var out []string
	var spells []written
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			out = append(out, a) // pflag keeps it as an argument
			continue
		}
		dashes := "-"
		if a[1] == '-' {
			dashes = "--"
		}
		name, val, hasVal := strings.Cut(a[len(dashes):], "=")
		o := t.lookup(name, dashes == "--")
		if o == nil {
			return nil, nil, t.unknown(dashes, name)
		}
		spell := dashes + name
		if o.Arg != "" && !hasVal {
			if i+1 == len(args) {
				return nil, nil, fmt.Errorf("%s: requires an argument", spell)
			}
			i++
			val, hasVal = args[i], true
		}
		spells = append(spells, written{spell: spell, hasValue: hasVal})
		if hasVal {
			out = append(out, "--"+t.flag[o]+"="+val)
		} else {
			out = append(out, "--"+t.flag[o])
		}
	}
	return out, spells, nil
}

func (t *table) unknown(dashes, name string) error {
	if dashes == "-" && t.mimic[name] != nil {
		return fmt.Errorf("unknown option -%s (Mimic's own options take two dashes: --%s)", name, name)
	}
	return fmt.Errorf("unknown option %s%s", dashes, name)
}

// recorder is the pflag.Value of every option: it records each
// occurrence in command-line order for the parser to check in turn.
type recorder struct {
	opt *Option
	got *[]*arg
}

func (r *recorder) String() string { return "" }
func (r *recorder) Type() string {
	if r.opt.Arg == "" {
		return "bool"
	}
	return "string"
}
func (r *recorder) Set(v string) error {
	*r.got = append(*r.got, &arg{opt: r.opt, value: v})
	return nil
}

// arg is one occurrence of an option.
type arg struct {
	opt      *Option
	spell    string // as written: "-drive", "--kernel"
	value    string
	hasValue bool
	kvs      kvs      // keyval options: the checked sub-options
	variant  *Variant // the selected variant, if any
}

// errorf makes an error naming the option as written, with its argument.
func (a *arg) errorf(format string, args ...any) error {
	if a.opt.Arg == "" {
		return fmt.Errorf("%s: %s", a.spell, fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("%s %s: %s", a.spell, a.value, fmt.Sprintf(format, args...))
}

// flag reads the value of an option that takes no argument:
// -nographic, or --semihosting=false (Go's and QEMU's booleans).
func (a *arg) flag() (bool, error) {
	if !a.hasValue {
		return true, nil
	}
	if b, err := strconv.ParseBool(a.value); err == nil {
		return b, nil
	}
	if b, ok := ParseBool(a.value); ok {
		return b, nil
	}
	return false, fmt.Errorf("%s=%s: want true or false", a.spell, a.value)
}

// parser holds the state of one Parse.
type parser struct {
	o    *Options
	last map[*Option]*arg // the last occurrence of each option

	machineAccel *arg      // -machine accel=
	accels       []*arg    // -accel, in order
	serials      int       // -serial count
	drives       []*arg    // -drive, in order, for finish
	devices      []*arg    // -device, in order, parallel to o.Devices
	backends     []backend // -netdev and -nic (not none), in order
	icount       *arg      // the last -icount
	rtc          *arg      // the last -rtc with clock=
	warnings     []string  // collected for o.Warnings
}

// backend is a network back end's id and the option that made it.
type backend struct {
	id string
	a  *arg
}

// do checks one occurrence and applies it to the options.
func (p *parser) do(a *arg) error {
	o := a.opt
	if o.Unsupported != "" {
		return fmt.Errorf("%s: %s", a.spell, o.Unsupported)
	}
	p.last[o] = a
	if o.keyval() {
		if err := p.checkSubOptions(a); err != nil {
			return err
		}
	}
	return o.apply(p, a)
}

func (p *parser) warn(s string) { p.warnings = append(p.warnings, s) }

// checkSubOptions parses a's argument as sub-options, selects the
// variant and checks every key against the schema. "help" as the
// variant, as a flag or as a key's value prints what is accepted there.
func (p *parser) checkSubOptions(a *arg) error {
	o := a.opt
	raw, err := ParseKeyVals(a.value, o.Implied)
	if err != nil {
		return a.errorf("%v", err)
	}
	keys := o.Keys
	if o.Variants != nil {
		name, ok := kvs(raw).get(o.Implied)
		switch {
		case isHelp(name):
			return &Help{Text: variantHelp(o)}
		case !ok && !o.VariantOptional:
			// Check the keys given first: their message says more.
			if _, err := checkKeys(kvs(raw).without(o.Implied), o.Keys, func(string) {}); err != nil {
				return a.errorf("%v", err)
			}
			return a.errorf("missing %s (%s=...; supported: %s)", o.Noun, o.Implied, o.supportedVariants())
		case ok:
			v := o.variant(name)
			if v == nil {
				return a.errorf("unknown %s %q (supported: %s)", o.Noun, name, o.supportedVariants())
			}
			if v.Reject != "" && !o.Fallback {
				return a.errorf("%s: %s", name, v.Reject)
			}
			a.variant = v
			implied := Key{Name: o.Implied, Doc: "the " + o.Noun + " (the leading value needs no key)"}
			keys = append(append([]Key{implied}, o.Keys...), v.Keys...)
		}
	}
	for _, kv := range raw {
		if kv.Flag && isHelp(kv.Key) {
			return &Help{Text: keysHelp(a, keys)}
		}
		if k := findKey(keys, kv.Key); k != nil && k.Values != nil && isHelp(kv.Value) {
			return &Help{Text: valuesHelp(a, k)}
		}
	}
	checked, err := checkKeys(raw, keys, p.warn)
	if err != nil {
		return a.errorf("%v", err)
	}
	if a.variant != nil {
		// Later code sees the variant's own name, not an alias.
		for i := range checked {
			if checked[i].Key == o.Implied {
				checked[i].Value = a.variant.Name
			}
		}
	}
	a.kvs = checked
	return nil
}

func isHelp(s string) bool { return s == "help" || s == "?" }
