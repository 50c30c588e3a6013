package arm

//go:generate go run ./internal/decodegen -o decode_gen.go spec/a32_dp.decode spec/a32_mem.decode spec/a32_ctl.decode spec/t32_dp.decode spec/t32_mem.decode spec/t32_ctl.decode spec/t16_dp.decode spec/t16_mem.decode spec/t16_ctl.decode spec/a32_vfp.decode spec/t32_vfp.decode

// handlerID names the translator method that handles a pattern.
type handlerID uint16

// pattern is one encoding from the spec files.
type pattern struct {
	name    string // NAME or NAME.VARIANT
	handler handlerID
	mask    uint32
	value   uint32
	format  string // disassembly template
}

// isaTable is the decoder for one instruction set: the patterns in
// priority order and, per bucket, the patterns that can match in it.
type isaTable struct {
	patterns []pattern
	bucket   func(uint32) uint32
	bits     int
	extract  func(id int, insn uint32, f *fields)
	buckets  [][]uint16
}

var (
	a32Table  = isaTable{patterns: a32Patterns[:], bucket: a32Bucket, bits: a32BucketBits, extract: a32Extract}
	a32uTable = isaTable{patterns: a32uPatterns[:], bucket: a32uBucket, bits: a32uBucketBits, extract: a32uExtract}
	t32Table  = isaTable{patterns: t32Patterns[:], bucket: t32Bucket, bits: t32BucketBits, extract: t32Extract}
	t16Table  = isaTable{patterns: t16Patterns[:], bucket: t16Bucket, bits: t16BucketBits, extract: t16Extract}
)

func init() {
	for _, tb := range []*isaTable{&a32Table, &a32uTable, &t32Table, &t16Table} {
		tb.build()
	}
}

// build fills the buckets: a pattern can match in bucket v when its fixed
// bits among the bucket bits agree with v.
func (tb *isaTable) build() {
	tb.buckets = make([][]uint16, 1<<tb.bits)
	for v := range tb.buckets {
		for id, p := range tb.patterns {
			bm, bv := tb.bucket(p.mask), tb.bucket(p.value)
			if uint32(v)&bm == bv {
				tb.buckets[v] = append(tb.buckets[v], uint16(id))
			}
		}
	}
}

// find returns the index of the first pattern matching insn, or -1.
func (tb *isaTable) find(insn uint32) int {
	for _, id := range tb.buckets[tb.bucket(insn)] {
		p := &tb.patterns[id]
		if insn&p.mask == p.value {
			return int(id)
		}
	}
	return -1
}

// decodeWith decodes insn with tb and calls its handler. It reports false
// when no pattern matches or the handler rejects the encoding: UNDEFINED.
func decodeWith(t *translator, tb *isaTable, insn uint32) bool {
	id := tb.find(insn)
	if id < 0 {
		return false
	}
	if t.c.m != nil {
		if ok, handled := t.mFilter(tb, id); handled {
			return ok
		}
	}
	var f fields
	tb.extract(id, insn, &f)
	return dispatch(t, tb.patterns[id].handler, &f)
}
