// Package conformance holds guest test programs with reference results
// recorded from QEMU (qemu-system-arm -M virt -cpu cortex-a15), committed as
// golden files so that `go test` needs neither QEMU nor a cross compiler.
//
//	programs/        sources, recipe and built images (make -C programs build)
//	ref/             QEMU's output per image (make -C programs record)
//	random/          the random-instruction differential corpus
//	harness/         runs an image on Mimic as the references were recorded
package conformance
