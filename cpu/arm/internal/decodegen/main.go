// Command decodegen turns the instruction-encoding spec files in
// cpu/arm/spec into Go decode tables (cpu/arm/decode_gen.go).
//
// Encodings are data: each spec line names one encoding, gives its bit
// pattern, and says how its operand fields are extracted. The generated
// decoder finds the first matching pattern (in file order, so a more specific
// pattern is written before a general one it overlaps), extracts the fields
// into a `fields` value and calls the handler method of the same base name.
// One handler serves every ISA whose patterns fill the fields the same way,
// so A32 and T32 share semantics.
//
// Spec syntax, one item per line, '#' starts a comment:
//
//	isa NAME WIDTH            start the section for ISA NAME (a32, t32, t16)
//	bucket HI:LO [HI:LO ...]  instruction bits that index the dispatch buckets
//	NAME[.VARIANT] PATTERN [x=FUNC | x=CONST ...] ["FORMAT"]
//
// PATTERN has exactly WIDTH symbols once spaces are removed, most significant
// bit first: '0' and '1' must match, '.' is ignored, and a letter is a bit of
// the field of that name. A letter used in several places concatenates its
// bits, most significant first. x=FUNC sets field x to FUNC(insn), a Go
// function func(uint32) uint32 in package arm; x=CONST sets it to a number.
// A name written as ~NAME marks a fallback: it is tried after every other
// pattern of its ISA, and patterns in other files may overlap it (e.g. the
// generic coprocessor transfers, which VFP's cp10/cp11 encodings refine).
//
// FORMAT is the disassembly template; see cpu/arm/disasm.go for directives.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

type field struct {
	letter byte
	bits   []int // instruction bit numbers, most significant first
}

type assign struct {
	letter byte
	fn     string // function name, or "" for a constant
	val    uint64
}

type pattern struct {
	name    string // full name, NAME or NAME.VARIANT
	handler string // NAME
	mask    uint32
	value   uint32
	fields  []field
	assigns []assign
	format  string
	where   string
	// fallback patterns come after every other pattern of the ISA, so
	// patterns in other files may carve exceptions out of them.
	fallback bool
}

type isa struct {
	name     string
	width    int
	bucket   [][2]int
	patterns []*pattern
}

func main() {
	out := flag.String("o", "decode_gen.go", "output file")
	pkg := flag.String("pkg", "arm", "package name")
	flag.Parse()
	var isas []*isa
	byName := map[string]*isa{}
	for _, path := range flag.Args() {
		got, err := parseFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "decodegen:", err)
			os.Exit(1)
		}
		// Sections of the same ISA in several files are one decoder.
		for _, is := range got {
			prev := byName[is.name]
			if prev == nil {
				byName[is.name] = is
				isas = append(isas, is)
				continue
			}
			if prev.width != is.width {
				fmt.Fprintf(os.Stderr, "decodegen: %s: isa %s width %d differs from %d\n", path, is.name, is.width, prev.width)
				os.Exit(1)
			}
			if len(prev.bucket) == 0 {
				prev.bucket = is.bucket
			}
			prev.patterns = append(prev.patterns, is.patterns...)
		}
	}
	for _, is := range isas {
		sort.SliceStable(is.patterns, func(i, j int) bool {
			return !is.patterns[i].fallback && is.patterns[j].fallback
		})
	}
	if err := checkOverlaps(isas); err != nil {
		fmt.Fprintln(os.Stderr, "decodegen:", err)
		os.Exit(1)
	}
	src, err := generate(*pkg, isas, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "decodegen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "decodegen:", err)
		os.Exit(1)
	}
}

func parseFile(path string) ([]*isa, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var isas []*isa
	var cur *isa
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		where := fmt.Sprintf("%s:%d", filepath.Base(path), line)
		fmtStr := ""
		if i := strings.IndexByte(text, '"'); i >= 0 {
			j := strings.LastIndexByte(text, '"')
			if j <= i {
				return nil, fmt.Errorf("%s: unterminated format string", where)
			}
			fmtStr = text[i+1 : j]
			text = text[:i] + text[j+1:]
		}
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		toks := strings.Fields(text)
		if len(toks) == 0 {
			continue
		}
		switch toks[0] {
		case "isa":
			if len(toks) != 3 {
				return nil, fmt.Errorf("%s: want: isa NAME WIDTH", where)
			}
			w, err := strconv.Atoi(toks[2])
			if err != nil || (w != 16 && w != 32) {
				return nil, fmt.Errorf("%s: bad width %q", where, toks[2])
			}
			cur = &isa{name: toks[1], width: w}
			isas = append(isas, cur)
			continue
		case "bucket":
			if cur == nil {
				return nil, fmt.Errorf("%s: bucket before isa", where)
			}
			for _, r := range toks[1:] {
				hi, lo, err := parseRange(r)
				if err != nil {
					return nil, fmt.Errorf("%s: %v", where, err)
				}
				cur.bucket = append(cur.bucket, [2]int{hi, lo})
			}
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("%s: pattern before isa", where)
		}
		p, err := parsePattern(cur.width, toks, where)
		if err != nil {
			return nil, err
		}
		p.format = fmtStr
		cur.patterns = append(cur.patterns, p)
	}
	return isas, sc.Err()
}

// checkOverlaps rejects two patterns from different files that can match
// the same word: priority is file order only within one file.
func checkOverlaps(isas []*isa) error {
	var errs []string
	for _, is := range isas {
		for i, p := range is.patterns {
			for _, q := range is.patterns[i+1:] {
				if fileOf(p.where) == fileOf(q.where) || p.fallback || q.fallback {
					continue
				}
				if (p.value^q.value)&p.mask&q.mask == 0 {
					errs = append(errs, fmt.Sprintf("%s: %s overlaps %s (%s)", p.where, p.name, q.name, q.where))
				}
			}
		}
		if len(is.bucket) == 0 {
			errs = append(errs, fmt.Sprintf("isa %s has no bucket line", is.name))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

func fileOf(where string) string {
	f, _, _ := strings.Cut(where, ":")
	return f
}

func parseRange(s string) (hi, lo int, err error) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return 0, 0, fmt.Errorf("bad bit range %q", s)
	}
	hi, err1 := strconv.Atoi(a)
	lo, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || hi < lo || hi > 31 || lo < 0 {
		return 0, 0, fmt.Errorf("bad bit range %q", s)
	}
	return hi, lo, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func parsePattern(width int, toks []string, where string) (*pattern, error) {
	p := &pattern{name: toks[0], where: where}
	if strings.HasPrefix(p.name, "~") {
		p.fallback = true
		p.name = p.name[1:]
	}
	p.handler, _, _ = strings.Cut(p.name, ".")
	var bitsStr strings.Builder
	i := 1
	for ; i < len(toks) && !strings.Contains(toks[i], "="); i++ {
		bitsStr.WriteString(toks[i])
	}
	bs := bitsStr.String()
	if len(bs) != width {
		return nil, fmt.Errorf("%s: %s: pattern has %d bits, want %d", where, p.name, len(bs), width)
	}
	fields := map[byte]*field{}
	for k := 0; k < width; k++ {
		bit := width - 1 - k
		c := bs[k]
		switch {
		case c == '0':
			p.mask |= 1 << bit
		case c == '1':
			p.mask |= 1 << bit
			p.value |= 1 << bit
		case c == '.':
		case isLetter(c):
			f := fields[c]
			if f == nil {
				f = &field{letter: c}
				fields[c] = f
				p.fields = append(p.fields, *f)
			}
			f.bits = append(f.bits, bit)
		default:
			return nil, fmt.Errorf("%s: %s: bad pattern symbol %q", where, p.name, c)
		}
	}
	for k := range p.fields {
		p.fields[k] = *fields[p.fields[k].letter]
	}
	for ; i < len(toks); i++ {
		l, r, ok := strings.Cut(toks[i], "=")
		if !ok || len(l) != 1 || !isLetter(l[0]) || r == "" {
			return nil, fmt.Errorf("%s: %s: bad assignment %q", where, p.name, toks[i])
		}
		a := assign{letter: l[0]}
		if v, err := strconv.ParseUint(r, 0, 32); err == nil {
			a.val = v
		} else {
			a.fn = r
		}
		p.assigns = append(p.assigns, a)
	}
	return p, nil
}

func generate(pkg string, isas []*isa, inputs []string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by decodegen from %s; DO NOT EDIT.\n\n", strings.Join(baseNames(inputs), ", "))
	fmt.Fprintf(&b, "package %s\n\n", pkg)

	// Every letter used anywhere becomes a fields member.
	letters := map[byte]bool{}
	handlers := map[string]bool{}
	for _, is := range isas {
		for _, p := range is.patterns {
			for _, f := range p.fields {
				letters[f.letter] = true
			}
			for _, a := range p.assigns {
				letters[a.letter] = true
			}
			handlers[p.handler] = true
		}
	}
	var ls []string
	for l := range letters {
		ls = append(ls, string(l))
	}
	sort.Strings(ls)
	b.WriteString("// fields holds the operand fields of one decoded instruction, named by\n// the letters of the spec patterns.\n")
	b.WriteString("type fields struct {\n")
	for _, l := range ls {
		fmt.Fprintf(&b, "\t%s uint32\n", l)
	}
	b.WriteString("}\n\n")

	var hs []string
	for h := range handlers {
		hs = append(hs, h)
	}
	sort.Strings(hs)
	hid := map[string]int{}
	b.WriteString("// The handler of each pattern, by base name.\nconst (\n\thandlerNone handlerID = iota\n")
	for i, h := range hs {
		hid[h] = i + 1
		fmt.Fprintf(&b, "\th%s\n", h)
	}
	b.WriteString(")\n\n")
	b.WriteString("var handlerNames = [...]string{\"\",\n")
	for _, h := range hs {
		fmt.Fprintf(&b, "\t%q,\n", h)
	}
	b.WriteString("}\n\n")
	b.WriteString("// dispatch calls the handler h of t with f. It reports false for an\n// encoding the handler rejects (UNDEFINED).\n")
	b.WriteString("func dispatch(t *translator, h handlerID, f *fields) bool {\n\tswitch h {\n")
	for _, h := range hs {
		fmt.Fprintf(&b, "\tcase h%s:\n\t\treturn t.%s(f)\n", h, h)
	}
	b.WriteString("\t}\n\treturn false\n}\n\n")

	for _, is := range isas {
		if err := genISA(&b, is); err != nil {
			return nil, err
		}
	}
	return format.Source(b.Bytes())
}

func baseNames(ps []string) []string {
	var out []string
	for _, p := range ps {
		out = append(out, filepath.Base(p))
	}
	return out
}

func genISA(b *bytes.Buffer, is *isa) error {
	N := strings.ToUpper(is.name[:1]) + is.name[1:]
	seen := map[string]string{}
	for _, p := range is.patterns {
		if w, dup := seen[p.name]; dup {
			return fmt.Errorf("%s: pattern %s already defined at %s", p.where, p.name, w)
		}
		seen[p.name] = p.where
	}
	fmt.Fprintf(b, "// %sPatterns lists the %s encodings in priority order.\n", is.name, N)
	fmt.Fprintf(b, "var %sPatterns = [...]pattern{\n", is.name)
	for _, p := range is.patterns {
		fmt.Fprintf(b, "\t{name: %q, handler: h%s, mask: %#08x, value: %#08x, format: %q},\n",
			p.name, p.handler, p.mask, p.value, p.format)
	}
	b.WriteString("}\n\n")

	// Bucket index: the concatenation of the bucket bit ranges.
	bucketBits := 0
	for _, r := range is.bucket {
		bucketBits += r[0] - r[1] + 1
	}
	fmt.Fprintf(b, "const %sBucketBits = %d\n\n", is.name, bucketBits)
	fmt.Fprintf(b, "func %sBucket(insn uint32) uint32 {\n\treturn 0", is.name)
	shift := bucketBits
	for _, r := range is.bucket {
		n := r[0] - r[1] + 1
		shift -= n
		fmt.Fprintf(b, " |\n\t\t(insn>>%d&%#x)<<%d", r[1], (1<<n)-1, shift)
	}
	b.WriteString("\n}\n\n")

	fmt.Fprintf(b, "// %sExtract fills f with the fields of pattern id from insn.\n", is.name)
	fmt.Fprintf(b, "func %sExtract(id int, insn uint32, f *fields) {\n\tswitch id {\n", is.name)
	for i, p := range is.patterns {
		if len(p.fields) == 0 && len(p.assigns) == 0 {
			continue
		}
		fmt.Fprintf(b, "\tcase %d: // %s\n", i, p.name)
		for _, f := range p.fields {
			fmt.Fprintf(b, "\t\tf.%c = %s\n", f.letter, extractExpr(f.bits))
		}
		for _, a := range p.assigns {
			if a.fn != "" {
				fmt.Fprintf(b, "\t\tf.%c = %s(insn)\n", a.letter, a.fn)
			} else {
				fmt.Fprintf(b, "\t\tf.%c = %d\n", a.letter, a.val)
			}
		}
	}
	b.WriteString("\t}\n}\n\n")
	return nil
}

// extractExpr returns Go code that gathers the given instruction bits
// (most significant first) into a right-aligned value, merging contiguous
// runs into one shift-and-mask.
func extractExpr(bits []int) string {
	var parts []string
	total := len(bits)
	for k := 0; k < len(bits); {
		j := k
		for j+1 < len(bits) && bits[j+1] == bits[j]-1 {
			j++
		}
		n := j - k + 1
		lo := bits[j]
		dest := total - (j + 1) // position of the run's lowest bit in the result
		e := fmt.Sprintf("(insn>>%d&%#x)", lo, (uint64(1)<<n)-1)
		if dest > 0 {
			e = fmt.Sprintf("%s<<%d", e, dest)
		}
		parts = append(parts, e)
		k = j + 1
	}
	return strings.Join(parts, " | ")
}
