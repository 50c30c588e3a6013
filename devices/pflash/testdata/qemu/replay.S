@ Replays a table of (kind, address, value) words at 0x40200000 against
@ the bus and stores each read result at 0x40100000; see record.py.
	.syntax unified
	.arm
	.global _start
_start:
	ldr	r0, =0x40200000
	ldr	r1, =0x40100000
1:	ldr	r2, [r0], #4
	ldr	r3, [r0], #4
	ldr	r4, [r0], #4
	cmp	r2, #0
	beq	2f
	cmp	r2, #1
	streq	r4, [r3]
	cmp	r2, #2
	strheq	r4, [r3]
	cmp	r2, #3
	strbeq	r4, [r3]
	cmp	r2, #4
	ldreq	r5, [r3]
	streq	r5, [r1], #4
	cmp	r2, #5
	ldrheq	r5, [r3]
	streq	r5, [r1], #4
	cmp	r2, #6
	ldrbeq	r5, [r3]
	streq	r5, [r1], #4
	b	1b
2:	ldr	r5, =0xd0d0d0d0
	str	r5, [r1]
3:	b	3b
	.ltorg
