package x64

import (
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// Each form is decoded by x86asm and printed in Intel syntax; the expected
// text is what the Intel SDM defines for the intended instruction.
func TestEncodings(t *testing.T) {
	cases := []struct {
		emit func(a *Asm)
		want string
	}{
		{func(a *Asm) { a.Load32(RAX, M(RDI, 8)) }, "mov eax, dword ptr [rdi+0x8]"},
		{func(a *Asm) { a.Load32(R9, M(RDI, 0x200)) }, "mov r9d, dword ptr [rdi+0x200]"},
		{func(a *Asm) { a.Load32(RAX, M(R12, 0)) }, "mov eax, dword ptr [r12]"},
		{func(a *Asm) { a.Load32(RAX, M(R13, 0)) }, "mov eax, dword ptr [r13]"},
		{func(a *Asm) { a.Load32(RDX, M(RSP, 4)) }, "mov edx, dword ptr [rsp+0x4]"},
		{func(a *Asm) { a.Load64(RCX, M(RDI, 0x1000)) }, "mov rcx, qword ptr [rdi+0x1000]"},
		{func(a *Asm) { a.Load32(RAX, MI(RCX, RDX, 0)) }, "mov eax, dword ptr [rcx+rdx]"},
		{func(a *Asm) { a.Load32(R8, MI(R9, R10, 0)) }, "mov r8d, dword ptr [r9+r10]"},
		{func(a *Asm) { a.Load8Z(RAX, MI(RCX, RDX, 0)) }, "movzx eax, byte ptr [rcx+rdx]"},
		{func(a *Asm) { a.Load16Z(RAX, M(RDI, 4)) }, "movzx eax, word ptr [rdi+0x4]"},
		{func(a *Asm) { a.Load8S(RAX, M(RDI, 4)) }, "movsx eax, byte ptr [rdi+0x4]"},
		{func(a *Asm) { a.Load16S(RAX, M(RDI, 4)) }, "movsx eax, word ptr [rdi+0x4]"},
		{func(a *Asm) { a.Store32(M(RDI, 60), RAX) }, "mov dword ptr [rdi+0x3c], eax"},
		{func(a *Asm) { a.Store16(MI(RCX, RDX, 0), RAX) }, "mov word ptr [rcx+rdx], ax"},
		{func(a *Asm) { a.Store8(MI(RCX, RDX, 0), RSI) }, "mov byte ptr [rcx+rdx], sil"},
		{func(a *Asm) { a.StoreImm32(M(RDI, 60), 0x12345678) }, "mov dword ptr [rdi+0x3c], 0x12345678"},
		{func(a *Asm) { a.StoreImm16(M(RDI, 6), 0xbeef) }, "mov word ptr [rdi+0x6], -0x4111"},
		{func(a *Asm) { a.StoreImm8(M(RDI, 0x44), 1) }, "mov byte ptr [rdi+0x44], 0x1"},
		{func(a *Asm) { a.MovImm32(R11, 7) }, "mov r11d, 0x7"},
		{func(a *Asm) { a.MovImm64(RCX, 0x1122334455667788) }, "mov rcx, 0x1122334455667788"},
		{func(a *Asm) { a.Mov32(RDX, R8) }, "mov edx, r8d"},
		{func(a *Asm) { a.Mov64(RAX, RSI) }, "mov rax, rsi"},
		{func(a *Asm) { a.ALURR(SUB, RAX, RCX) }, "sub eax, ecx"},
		{func(a *Asm) { a.ALURR64(ADD, RCX, RDX) }, "add rcx, rdx"},
		{func(a *Asm) { a.ALURM(SBB, RAX, M(RDI, 12)) }, "sbb eax, dword ptr [rdi+0xc]"},
		{func(a *Asm) { a.ALURM64(ADD, RCX, M(RDI, 0x400)) }, "add rcx, qword ptr [rdi+0x400]"},
		{func(a *Asm) { a.ALURI(AND, RDX, 0xfffff003) }, "and edx, -0xffd"},
		{func(a *Asm) { a.ALURI(CMP, RAX, 5) }, "cmp eax, 0x5"},
		{func(a *Asm) { a.ALURI(XOR, R9, 0x80000000) }, "xor r9d, -0x80000000"},
		{func(a *Asm) { a.ALUMI64(ADD, M(RDI, 0x100), 3) }, "add qword ptr [rdi+0x100], 0x3"},
		{func(a *Asm) { a.CmpMemImm8(M(RDI, 0x41), 0) }, "cmp byte ptr [rdi+0x41], 0x0"},
		{func(a *Asm) { a.CmpMemImm16(M(RDI, 0x41), 0) }, "cmp word ptr [rdi+0x41], 0x0"},
		{func(a *Asm) { a.Cmp8RM(RAX, M(RDI, 0x43)) }, "cmp al, byte ptr [rdi+0x43]"},
		{func(a *Asm) { a.AddMem8Imm(M(RDI, 0x42), 0xff) }, "add byte ptr [rdi+0x42], 0xff"},
		{func(a *Asm) { a.Test32(RAX, RAX) }, "test eax, eax"},
		{func(a *Asm) { a.ShiftRI(SHL, RAX, 3) }, "shl eax, 0x3"},
		{func(a *Asm) { a.ShiftRI(SAR, R10, 31) }, "sar r10d, 0x1f"},
		{func(a *Asm) { a.ShiftRI(ROR, RCX, 8) }, "ror ecx, 0x8"},
		{func(a *Asm) { a.Not32(RAX) }, "not eax"},
		{func(a *Asm) { a.Neg32(RCX) }, "neg ecx"},
		{func(a *Asm) { a.Bswap32(RAX) }, "bswap eax"},
		{func(a *Asm) { a.ImulRM(RAX, M(RDI, 8)) }, "imul eax, dword ptr [rdi+0x8]"},
		{func(a *Asm) { a.SetMem(CondAE, M(RDI, 0x42)) }, "setnb byte ptr [rdi+0x42]"},
		{func(a *Asm) { a.SetMem(CondS, M(RDI, 0x40)) }, "sets byte ptr [rdi+0x40]"},
		{func(a *Asm) { a.JmpMem(M(RCX, 8)) }, "jmp qword ptr [rcx+0x8]"},
		{func(a *Asm) { a.Ret() }, "ret"},
		{func(a *Asm) { a.TestMemImm32(M(RDI, 0x210), 0xffffff) }, "test dword ptr [rdi+0x210], 0xffffff"},
		{func(a *Asm) { a.Div32(RCX) }, "div ecx"},
		{func(a *Asm) { a.Idiv32(R8) }, "idiv r8d"},
		{func(a *Asm) { a.Cdq() }, "cdq"},
		{func(a *Asm) { a.MulM(M(RDI, 8)) }, "mul dword ptr [rdi+0x8]"},
		{func(a *Asm) { a.ImulM(M(RDI, 8)) }, "imul dword ptr [rdi+0x8]"},
		{func(a *Asm) { a.ShiftRCL(SHR, RDX) }, "shr edx, cl"},
		{func(a *Asm) { a.ShiftRCL(ROR, R9) }, "ror r9d, cl"},
		{func(a *Asm) { a.Rcr1(RDX) }, "rcr edx, 0x1"},
		{func(a *Asm) { a.BsrRM(RAX, M(RDI, 4)) }, "bsr eax, dword ptr [rdi+0x4]"},
		{func(a *Asm) { a.Load32(R8, MI(RCX, RDX, 12)) }, "mov r8d, dword ptr [rcx+rdx+0xc]"},
		{func(a *Asm) { a.Lea64(RCX, MI(RCX, RDX, 16)) }, "lea rcx, ptr [rcx+rdx+0x10]"},
	}
	for _, tc := range cases {
		var a Asm
		tc.emit(&a)
		inst, err := x86asm.Decode(a.B, 64)
		if err != nil {
			t.Errorf("%x: %v (want %s)", a.B, err, tc.want)
			continue
		}
		if inst.Len != len(a.B) {
			t.Errorf("%x: decoded %d of %d bytes (want %s)", a.B, inst.Len, len(a.B), tc.want)
		}
		if got := x86asm.IntelSyntax(inst, 0, nil); got != tc.want {
			t.Errorf("%x: got %q, want %q", a.B, got, tc.want)
		}
	}
}

// RIP-relative operands are relative to the end of their instruction,
// including any immediate that follows the displacement.
func TestRIPRelative(t *testing.T) {
	var a Asm
	a.B = make([]byte, 16) // a data slot at offset 0
	start := a.Len()
	a.CmpMemImm8(Mem{RIP: true, Disp: 0}, 0)
	inst, err := x86asm.Decode(a.B[start:], 64)
	if err != nil {
		t.Fatal(err)
	}
	mem := inst.Args[0].(x86asm.Mem)
	if target := start + inst.Len + int(int32(mem.Disp)); mem.Base != x86asm.RIP || target != 0 {
		t.Errorf("cmp byte [rip]: base %v, resolves to %d, want RIP and 0", mem.Base, target)
	}
	start = a.Len()
	a.JmpMem(Mem{RIP: true, Disp: 8})
	inst, err = x86asm.Decode(a.B[start:], 64)
	if err != nil {
		t.Fatal(err)
	}
	mem = inst.Args[0].(x86asm.Mem)
	if target := start + inst.Len + int(int32(mem.Disp)); target != 8 {
		t.Errorf("jmp [rip]: resolves to %d, want 8", target)
	}
}

func TestLabels(t *testing.T) {
	var a Asm
	var fwd, back Label
	a.Bind(&back)
	a.Jcc(CondNE, &fwd) // 6 bytes
	a.Jmp(&back)        // 5 bytes
	a.Bind(&fwd)
	a.Ret()
	inst, _ := x86asm.Decode(a.B, 64)
	if rel := int(inst.Args[0].(x86asm.Rel)); 6+rel != 11 {
		t.Errorf("forward jcc lands at %d, want 11", 6+rel)
	}
	inst, _ = x86asm.Decode(a.B[6:], 64)
	if rel := int(inst.Args[0].(x86asm.Rel)); 11+rel != 0 {
		t.Errorf("backward jmp lands at %d, want 0", 11+rel)
	}
}

func TestTruncateDropsJumps(t *testing.T) {
	var a Asm
	var l Label
	a.Jmp(&l)
	mark := a.Len()
	a.Jcc(CondE, &l)
	a.Truncate(mark, &l)
	a.Ret()
	a.Bind(&l) // must not patch the dropped jump
	if len(a.B) != 6 || a.B[5] != 0xc3 {
		t.Fatalf("code after truncate and bind: %x", a.B)
	}
	if rel := int32(a.B[1]) | int32(a.B[2])<<8; rel != 1 {
		t.Errorf("kept jump: rel %d, want 1", rel)
	}
}
