package arm

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Disassembly from the same tables that drive decoding: the matched
// pattern's format string is rendered with the instruction's fields. The
// text follows GNU objdump (-M reg-names-std) closely, without its
// comments and symbol annotations; branch targets are absolute addresses
// in hex without a prefix, as objdump prints them.
//
// Format directives (x is a field letter):
//
//	%c     condition suffix: field c, or inside an IT block the IT
//	       condition (Thumb); nothing for AL
//	%s     "s" when field S is 1, or 2 outside an IT block
//	%rx    register named by field x (r0..r12, sp, lr, pc)
//	%ix    immediate "#N" (signed decimal) of field x
//	%ux    plain unsigned decimal of field x
//	%Nxx   hex "0x" with N digits (N = 1..9) of field x
//	%T     branch target: PC (+8 ARM, +4 Thumb; aligned for Thumb BLX) + i
//	%y     immediate shift from fields y and j (", lsl #3"; nothing for
//	       LSL #0; ", rrx")
//	%Y     register shift from fields y and s (", lsl r3")
//	%l     register list from field r ("{r0, r4, lr}")
//	%a     addressing mode from n, i or m (+y/j), P, U, W
//	%!     "!" when W is 1
//	%P     CPSR/SPSR from R, with the MSR field mask f when present
//	%B     banked register from R and b (MRS/MSR banked)
//	%q     register t, or APSR_nzcv when t is 15 (MRC)
//	%C     the rest of a CPS instruction from g, M, A, I, F, v
//	%E     "be" or "le" from E (SETEND)
//	%M     da/ia/db/ib from P and U (SRS/RFE)
//	%O     barrier option from i (DMB/DSB/ISB)
//	%I     the rest of an IT instruction from c and z ("te ne")
//	%%     a percent sign
func Disasm(insn uint32, size int, thumb bool, pc uint32, it uint8) string {
	var tb *isaTable
	switch {
	case !thumb && insn>>28 == 0xf:
		tb = &a32uTable
	case !thumb:
		tb = &a32Table
	case size == 2:
		tb = &t16Table
	default:
		tb = &t32Table
	}
	id := tb.find(insn)
	var d disasmState
	if id >= 0 {
		d = disasmState{insn: insn, size: size, thumb: thumb, pc: pc, it: it, p: &tb.patterns[id]}
		d.extract(tb, id)
		if d.p.handler == hBCOND && d.get('c', 0) >= 14 {
			// The T32 cond = 111x space that no control pattern took.
			id = -1
		}
	}
	if id < 0 {
		switch {
		case !thumb:
			return fmt.Sprintf(".inst 0x%08x", insn)
		case size == 2:
			return fmt.Sprintf(".inst.n 0x%04x", insn)
		default:
			return fmt.Sprintf(".inst.w 0x%08x", insn)
		}
	}
	return d.render(d.p.format)
}

// unset marks fields the pattern did not fill.
const unset = 0xdeadbeef

type disasmState struct {
	insn  uint32
	size  int
	thumb bool
	pc    uint32
	it    uint8
	p     *pattern
	f     fields
	v     reflect.Value
}

func (d *disasmState) extract(tb *isaTable, id int) {
	d.v = reflect.ValueOf(&d.f).Elem()
	for i := 0; i < d.v.NumField(); i++ {
		// Unexported fields: set through the address, read with Uint.
		reflect.NewAt(d.v.Field(i).Type(), d.v.Field(i).Addr().UnsafePointer()).Elem().SetUint(unset)
	}
	tb.extract(id, d.insn, &d.f)
}

// field returns the value of field letter l and whether the pattern set it.
func (d *disasmState) field(l byte) (uint32, bool) {
	fv := d.v.FieldByName(string(l))
	if !fv.IsValid() {
		return 0, false
	}
	v := uint32(fv.Uint())
	return v, v != unset
}

// get returns field l, or def when the pattern did not set it.
func (d *disasmState) get(l byte, def uint32) uint32 {
	if v, ok := d.field(l); ok {
		return v
	}
	return def
}

var condNames = [16]string{"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "", ""}

var regNames = [16]string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "sp", "lr", "pc"}

var shiftNames = [5]string{"lsl", "lsr", "asr", "ror", "rrx"}

func (d *disasmState) cond() uint32 {
	if d.thumb && d.it&0xf != 0 {
		return uint32(d.it >> 4)
	}
	return d.get('c', condAL)
}

func (d *disasmState) render(format string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		ch := format[i]
		if ch != '%' || i+1 >= len(format) {
			b.WriteByte(ch)
			continue
		}
		i++
		switch dir := format[i]; dir {
		case '%':
			b.WriteByte('%')
		case 'c':
			b.WriteString(condNames[d.cond()&0xf])
		case 's':
			// S=2 (16-bit Thumb) sets the flags only outside an IT block.
			if S := d.get('S', 0); S == 1 || S == 2 && d.it&0xf == 0 {
				b.WriteByte('s')
			}
		case 'r', 'i', 'u':
			if i+1 >= len(format) {
				break
			}
			i++
			v := d.get(format[i], 0)
			switch dir {
			case 'r':
				b.WriteString(regNames[v&0xf])
			case 'i':
				b.WriteString("#" + strconv.Itoa(int(int32(v))))
			default:
				b.WriteString(strconv.FormatUint(uint64(v), 10))
			}
		case '1', '2', '3', '4', '5', '6', '7', '8', '9':
			if i+2 >= len(format) || format[i+1] != 'x' {
				b.WriteByte(dir)
				break
			}
			v := d.get(format[i+2], 0)
			fmt.Fprintf(&b, "0x%0*x", int(dir-'0'), v)
			i += 2
		case 'T':
			b.WriteString(strconv.FormatUint(uint64(d.target()), 16))
		case 'y':
			b.WriteString(d.immShift())
		case 'Y':
			sh := d.get('y', 0) & 3
			fmt.Fprintf(&b, ", %s %s", shiftNames[sh], regNames[d.get('s', 0)&0xf])
		case 'l':
			b.WriteString(regList(d.get('r', 0)))
		case 'a':
			b.WriteString(d.addrMode())
		case '!':
			if d.get('W', 0) == 1 {
				b.WriteByte('!')
			}
		case 'P':
			b.WriteString(d.psrName())
		case 'B':
			b.WriteString(bankedName(d.get('R', 0), d.get('b', 0)))
		case 'q':
			if t := d.get('t', 0); t == 15 {
				b.WriteString("APSR_nzcv")
			} else {
				b.WriteString(regNames[t&0xf])
			}
		case 'X':
			b.WriteString(sysmName(d.get('i', 0)))
		case 'C':
			b.WriteString(d.cps())
		case 'E':
			if d.get('E', 0) != 0 {
				b.WriteString("be")
			} else {
				b.WriteString("le")
			}
		case 'M':
			b.WriteString([4]string{"da", "ia", "db", "ib"}[d.get('P', 0)<<1&2|d.get('U', 0)&1])
		case 'O':
			b.WriteString(barrierOption(d.get('i', 0)))
		case 'I':
			b.WriteString(itSuffix(d.get('c', 0), d.get('z', 0)))
		default:
			b.WriteByte('%')
			b.WriteByte(dir)
		}
	}
	return b.String()
}

// target is the branch target of a pc-relative branch.
func (d *disasmState) target() uint32 {
	base := d.pc + 8
	if d.thumb {
		base = d.pc + 4
		if d.p.handler == hBLXI {
			base &^= 3
		}
	}
	return base + d.get('i', 0)
}

func (d *disasmState) immShift() string {
	sh, amt := decodeImmShift(d.get('y', 0), d.get('j', 0))
	switch {
	case sh == shiftRRX:
		return ", rrx"
	case sh == shiftLSL && amt == 0:
		return ""
	}
	return fmt.Sprintf(", %s #%d", shiftNames[sh], amt)
}

func regList(r uint32) string {
	var parts []string
	for i := 0; i < 16; i++ {
		if r>>i&1 != 0 {
			parts = append(parts, regNames[i])
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// addrMode renders a load/store address. Patterns without P/U/W are
// offset addressing, adding.
func (d *disasmState) addrMode() string {
	n := regNames[d.get('n', 0)&0xf]
	p, u, w := d.get('P', 1), d.get('U', 1), d.get('W', 0)
	sign := ""
	if u == 0 {
		sign = "-"
	}
	var off string
	if m, ok := d.field('m'); ok {
		off = sign + regNames[m&0xf]
		if _, ok := d.field('y'); ok {
			off += d.immShift()
		}
	} else if i, ok := d.field('i'); ok {
		if i == 0 && u == 1 && p == 1 {
			off = ""
		} else {
			off = fmt.Sprintf("#%s%d", sign, i)
		}
	}
	if p == 0 {
		if off == "" {
			return "[" + n + "]"
		}
		return "[" + n + "], " + off
	}
	s := "[" + n
	if off != "" {
		s += ", " + off
	}
	s += "]"
	if w == 1 {
		s += "!"
	}
	return s
}

func (d *disasmState) psrName() string {
	s := "CPSR"
	if d.get('R', 0) != 0 {
		s = "SPSR"
	}
	if f, ok := d.field('f'); ok {
		s += "_"
		for _, x := range []struct {
			bit uint32
			c   byte
		}{{8, 'f'}, {4, 's'}, {2, 'x'}, {1, 'c'}} {
			if f&x.bit != 0 {
				s += string(x.c)
			}
		}
	}
	return s
}

// bankedName names the register of MRS/MSR (banked) as objdump does.
func bankedName(r, sysm uint32) string {
	mode, reg, ok := bankedTarget(r, sysm)
	if !ok {
		switch {
		case r != 0 && sysm == 0x1c:
			return "SPSR_mon"
		case r != 0 && sysm == 0x1e:
			return "SPSR_hyp"
		case r == 0 && sysm == 0x1c:
			return "LR_mon"
		case r == 0 && sysm == 0x1d:
			return "SP_mon"
		case r == 0 && sysm == 0x1e:
			return "ELR_hyp"
		case r == 0 && sysm == 0x1f:
			return "SP_hyp"
		}
		return fmt.Sprintf("<banked %d:%#x>", r, sysm)
	}
	m := map[uint32]string{ModeUSR: "usr", ModeFIQ: "fiq", ModeIRQ: "irq", ModeSVC: "svc", ModeABT: "abt", ModeUND: "und"}[mode]
	switch reg {
	case 16:
		return "SPSR_" + m
	case 13:
		return "SP_" + m
	case 14:
		return "LR_" + m
	}
	return fmt.Sprintf("R%d_%s", reg, m)
}

func (d *disasmState) cps() string {
	imod, m := d.get('g', 0), d.get('M', 0)
	var flags string
	if d.get('A', 0) != 0 {
		flags += "a"
	}
	if d.get('I', 0) != 0 {
		flags += "i"
	}
	if d.get('F', 0) != 0 {
		flags += "f"
	}
	mode := fmt.Sprintf("#%d", d.get('v', 0))
	switch {
	case imod&2 == 0:
		return " " + mode
	case d.thumb && d.size == 4 && m != 0:
		return [2]string{"ie", "id"}[imod&1] + " " + flags + ", " + mode
	case d.thumb && d.size == 4:
		return [2]string{"ie", "id"}[imod&1] + ".w " + flags
	case m != 0:
		return [2]string{"ie", "id"}[imod&1] + " " + flags + "," + mode
	}
	return [2]string{"ie", "id"}[imod&1] + " " + flags
}

func barrierOption(o uint32) string {
	names := map[uint32]string{15: "sy", 14: "st", 13: "ld", 11: "ish", 10: "ishst", 9: "ishld",
		7: "un", 6: "unst", 5: "nshld", 3: "osh", 2: "oshst", 1: "oshld"}
	if s, ok := names[o]; ok {
		return s
	}
	return fmt.Sprintf("#%d", o)
}

// itSuffix renders "<x><y><z> <firstcond>" of IT from firstcond and mask.
func itSuffix(firstcond, mask uint32) string {
	n := 4
	for n > 0 && mask>>(4-n)&1 == 0 {
		n--
	}
	var s strings.Builder
	for k := 1; k < n; k++ {
		if mask>>(4-k)&1 == firstcond&1 {
			s.WriteByte('t')
		} else {
			s.WriteByte('e')
		}
	}
	cond := condNames[firstcond&0xf]
	if cond == "" {
		cond = "al"
	}
	return s.String() + " " + cond
}
