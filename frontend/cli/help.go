package cli

import (
	"fmt"
	"strings"
)

// Usage is the --help text, made from the option table.
func Usage() string {
	var b strings.Builder
	b.WriteString(`Usage: mimic [options]

With no options, mimic runs its bundled demo.

The options are qemu-system-arm's, written with one dash or two (-kernel FILE,
--kernel FILE, --kernel=FILE), with sub-options after commas
(-drive file=disk.img,if=none,id=d0); a comma inside a value is written twice.
"-OPTION help" lists what an option accepts (-device help, -machine virt,help).

QEMU options:
`)
	var unsupported []string
	t := theTable()
	for _, o := range t.options {
		switch {
		case o.Mimic:
		case o.Unsupported != "":
			unsupported = append(unsupported, "-"+o.Name)
		default:
			writeOption(&b, o)
		}
	}
	fmt.Fprintf(&b, "\nQEMU options Mimic does not support yet (each is an error):\n  %s\n", strings.Join(unsupported, " "))
	b.WriteString("\nMimic's own options (two dashes):\n")
	for _, o := range t.options {
		if o.Mimic {
			writeOption(&b, o)
		}
	}
	return b.String()
}

// names is how the help shows an option's names.
func (o *Option) names() string {
	d := "-"
	if o.Mimic {
		d = "--"
	}
	s := d + o.Name
	for _, a := range o.Aliases {
		s += ", -" + a
	}
	for _, a := range o.LongAliases {
		s += ", --" + a
	}
	if o.Short != "" {
		s += ", -" + o.Short
	}
	return s
}

func writeOption(b *strings.Builder, o *Option) {
	left := "  " + o.names()
	if o.Arg != "" {
		left += " " + o.Arg
	}
	const col = 30
	if len(left) < col-1 {
		fmt.Fprintf(b, "%-*s%s\n", col, left, o.Help)
	} else {
		fmt.Fprintf(b, "%s\n%*s%s\n", left, col, "", o.Help)
	}
}

// variantHelp answers "-device help": the variants Mimic accepts, then
// those it knows and refuses.
func variantHelp(o *Option) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Supported %ss (-%s):\n", o.Noun, o.Name)
	var refused []string
	for _, v := range o.Variants {
		switch {
		case v.Alias != "":
			fmt.Fprintf(&b, "  %-24s same as %s\n", v.Name, v.Alias)
		case v.Reject != "":
			refused = append(refused, fmt.Sprintf("  %-24s %s\n", v.Name, v.Reject))
		default:
			fmt.Fprintf(&b, "  %-24s %s\n", v.Name, v.Doc)
		}
	}
	if len(refused) > 0 {
		fmt.Fprintf(&b, "Known to QEMU, not supported:\n%s", strings.Join(refused, ""))
	}
	return b.String()
}

// keysHelp answers "-device virtio-blk-device,help": the keys accepted.
func keysHelp(a *arg, keys []Key) string {
	var b strings.Builder
	what := a.spell
	if a.variant != nil {
		what += " " + a.variant.Name
	}
	fmt.Fprintf(&b, "%s sub-options:\n", what)
	for _, k := range keys {
		if k.Reject != "" {
			continue
		}
		doc := k.Doc
		if k.Values != nil {
			var vals []string
			for _, v := range k.Values {
				if v.Reject == "" {
					vals = append(vals, v.Name)
				}
			}
			doc = strings.Join(vals, "|") + "  " + doc
		} else if k.Kind == KindBool {
			doc = "on|off  " + doc
		}
		if k.Repeat {
			doc += " (repeatable)"
		}
		fmt.Fprintf(&b, "  %-20s %s\n", k.Name, strings.TrimSpace(doc))
	}
	return b.String()
}

// valuesHelp answers "-nic user,model=help": the values of one key.
func valuesHelp(a *arg, k *Key) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s= values:\n", a.spell, k.Name)
	for _, v := range k.Values {
		doc := v.Doc
		if v.Reject != "" {
			doc = "not supported: " + v.Reject
		}
		fmt.Fprintf(&b, "  %-20s %s\n", v.Name, doc)
	}
	return b.String()
}
