package arm

// Exception-generating instructions (ARM ARM A8.8.228 SVC).

func (t *translator) SVC(f *fields) bool {
	t.emit(Op{fn: opSVC, imm: f.i})
	t.end = true
	return true
}

func opSVC(c *CPU, o *Op) {
	if c.SVCHook != nil && c.SVCHook(c, o.imm) {
		// Handled by the host (semihosting): continue after the SVC.
		c.exit = true
		return
	}
	c.svcException(o)
}
