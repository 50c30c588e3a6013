package arm

// Exception-generating and exception-returning instructions (ARM ARM
// A8.8.228 SVC, A8.8.24 BKPT, A8.8.248 UDF, B9.3.4 HVC, B9.3.14 SMC,
// B9.3.3 ERET, B9.3.19 SUBS PC, LR (Thumb)).

// Semihosting immediates (ARM semihosting specification): SVC 0x123456 in
// ARM state and SVC 0xAB or BKPT 0xAB in Thumb state.
const (
	semihostSVCARM   = 0x123456
	semihostSVCThumb = 0xab
	semihostBKPT     = 0xab
)

func (t *translator) SVC(f *fields) bool {
	fn := opSVC
	if !t.thumb && f.i == semihostSVCARM || t.thumb && f.i == semihostSVCThumb {
		fn = opSVCSemihost
	}
	t.emit(Op{fn: fn, imm: f.i})
	t.end = true
	return true
}

func opSVC(c *CPU, o *Op) { c.svcException(o) }

// opSVCSemihost offers a semihosting SVC to the hook, which decides.
func opSVCSemihost(c *CPU, o *Op) {
	if c.SVCHook != nil && c.SVCHook(c, o.imm) {
		// Handled by the host: continue after the SVC.
		return
	}
	c.svcException(o)
}

// BKPT raises the debug event, which without a debugger is a Prefetch
// Abort. In Thumb state it is unconditional even inside an IT block (ARM
// ARM A8.8.24).
func (t *translator) BKPT(f *fields) bool {
	// UNPREDICTABLE: an A32 BKPT with a condition other than AL; QEMU
	// executes it conditionally, and so do we.
	fn := opBKPT
	if t.thumb {
		t.cond = condAL
		if f.i == semihostBKPT {
			fn = opBKPTSemihost
		}
	}
	t.emit(Op{fn: fn, imm: f.i})
	t.end = true
	return true
}

func opBKPT(c *CPU, o *Op) { c.bkptException(o) }

func opBKPTSemihost(c *CPU, o *Op) {
	if c.BKPTHook != nil && c.BKPTHook(c, o.imm) {
		return
	}
	c.bkptException(o)
}

// UDF is permanently UNDEFINED.
func (t *translator) UDF(f *fields) bool { return false }

// HVC is UNDEFINED (no Virtualization Extensions) unless the machine's
// emulated firmware takes it through c.HVCHook (PSCI on virt, whose
// conduit is HVC when the CPU has no EL2/EL3, as in QEMU). The block ends:
// the firmware may change any state, or stop the machine.
func (t *translator) HVC(f *fields) bool {
	// UNPREDICTABLE: an A32 HVC with a condition other than AL, and a T32
	// HVC inside an IT block, run under their condition (QEMU).
	t.emit(Op{fn: opHVC, imm: f.i})
	t.end = true
	return true
}

func opHVC(c *CPU, o *Op) {
	// HVC is UNDEFINED in User mode in any case (ARM ARM B9.3.4; QEMU).
	if c.mode != ModeUSR && c.HVCHook != nil && c.HVCHook(c, o.imm) {
		return
	}
	c.guestError("undefined instruction", "pc", hex32(o.pc), "insn", insnString(o))
	c.undefined(o)
}

// SMC is UNDEFINED: no Security Extensions.
func (t *translator) SMC(f *fields) bool { return false }

// ERET (A32) returns from an exception using LR and the SPSR. It belongs
// to the Virtualization Extensions; QEMU's Cortex-A15 implements it
// outside Hyp mode as SUBS PC, LR, #0 even without EL2, and so do we.
func (t *translator) ERET(f *fields) bool {
	t.emit(Op{fn: opSUBSPCLR})
	t.end = true
	return true
}

// SUBSPC is the T32 SUBS PC, LR, #imm8 (ERET when imm8 = 0).
func (t *translator) SUBSPC(f *fields) bool {
	// UNPREDICTABLE: inside an IT block but not last; executed as QEMU.
	t.emit(Op{fn: opSUBSPCLR, imm: f.i})
	t.end = true
	return true
}

// opSUBSPCLR is the exception return PC = LR - imm, CPSR = SPSR.
func opSUBSPCLR(c *CPU, o *Op) {
	if c.mode == ModeUSR {
		// UNPREDICTABLE in User mode: UNDEFINED, as QEMU.
		c.undefined(o)
		return
	}
	// UNPREDICTABLE in System mode: SPSR() reads as 0 (see SPSR).
	c.exceptionReturn(c.R[14]-o.imm, c.SPSR())
}
