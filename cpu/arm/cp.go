package arm

// Coprocessor is a coprocessor reached by MRC/MCR/MRRC/MCRR (ARM ARM
// A8.8.98ff). CP15 (system control) and CP14 (debug) live in this package;
// VFP/Advanced SIMD (CP10/CP11) are decoded as instructions of their own.
// A method returns ok=false when the access is UNDEFINED: unknown register,
// or not permitted at the current privilege (priv is true at PL1).
type Coprocessor interface {
	MRC(opc1, crn, crm, opc2 uint32, priv bool) (val uint32, ok bool)
	MCR(opc1, crn, crm, opc2 uint32, val uint32, priv bool) (ok bool)
	MRRC(opc1, crm uint32, priv bool) (val uint64, ok bool)
	MCRR(opc1, crm uint32, val uint64, priv bool) (ok bool)
}
