// Package psci is the emulated firmware's Power State Coordination
// Interface (ARM DEN 0022D, PSCI 1.1) for a board with no real EL2/EL3
// firmware: the CPU's HVC (the "conduit") lands in Handler.Call instead of
// an exception, as on QEMU's virt board.
//
// The behaviour matches QEMU 7.2's (target/arm/psci.c) for an AArch32
// Cortex-A15 with one CPU, checked by running HVC calls on
// qemu-system-arm -M virt -cpu cortex-a15:
//
//	PSCI_VERSION            0x00010001 (PSCI 1.1)
//	CPU_SUSPEND             SUCCESS at once (QEMU waits in WFI; see Call)
//	CPU_OFF                 the only CPU stops: Platform.CPUOff
//	CPU_ON                  ALREADY_ON for CPU 0, INVALID_PARAMETERS otherwise
//	AFFINITY_INFO           ON (0) for CPU 0 at level 0, INVALID_PARAMETERS otherwise
//	MIGRATE                 NOT_SUPPORTED
//	MIGRATE_INFO_TYPE       2 (no Trusted OS: migration not required)
//	SYSTEM_OFF              Platform.PowerOff
//	SYSTEM_RESET            Platform.Reset
//	PSCI_FEATURES           SUCCESS for the functions above but MIGRATE,
//	                        NOT_SUPPORTED otherwise
//	any SMC64 function ID   NOT_SUPPORTED (an AArch32 caller)
//	any other function ID   NOT_SUPPORTED (QEMU 7.2 handles every HVC as a
//	                        PSCI call when HVC is the conduit, even the SMCCC
//	                        ones such as SMCCC_VERSION 0x80000000)
//
// Linux reports this as "psci: PSCIv1.1 detected in firmware" and "SMC
// Calling Convention v1.0".
package psci

import (
	"mimic/bios/fdt"
)

// Function IDs (DEN 0022D §5.1; the SMC32 range starts 0x84000000, the
// SMC64 range 0xc4000000).
const (
	FnPSCIVersion     = 0x84000000
	FnCPUSuspend      = 0x84000001
	FnCPUOff          = 0x84000002
	FnCPUOn           = 0x84000003
	FnAffinityInfo    = 0x84000004
	FnMigrate         = 0x84000005
	FnMigrateInfoType = 0x84000006
	FnSystemOff       = 0x84000008
	FnSystemReset     = 0x84000009
	FnPSCIFeatures    = 0x8400000a

	// fn64 marks an SMC64 function ID (bit 30).
	fn64 = 0x40000000
)

// Return codes (DEN 0022D §5.2.2), as the 32-bit values left in r0.
const (
	Success            = 0
	NotSupported       = 0xffffffff // -1
	InvalidParameters  = 0xfffffffe // -2
	Denied             = 0xfffffffd // -3
	AlreadyOn          = 0xfffffffc // -4
	affinityOn         = 0          // AFFINITY_INFO: ON
	migrateNotRequired = 2          // MIGRATE_INFO_TYPE: Trusted OS not present
)

// Version is what PSCI_VERSION returns: major 1, minor 1.
const Version = 1<<16 | 1

// mpidrAffinity masks the affinity fields of an MPIDR value (Aff2..Aff0);
// bit 31 (the multiprocessing extensions flag a Cortex-A15 reports) and
// the U bit are not part of a CPU's identity.
const mpidrAffinity = 0x00ffffff

// Platform is what PSCI needs from the board.
type Platform interface {
	// PowerOff ends the run as a clean power-off (SYSTEM_OFF).
	PowerOff()
	// Reset resets the whole machine (SYSTEM_RESET).
	Reset()
	// CPUOff stops the calling CPU for good (CPU_OFF of the last CPU).
	CPUOff()
}

// Handler answers PSCI calls for a uniprocessor machine whose CPU has
// affinity 0.
type Handler struct {
	Platform Platform
	// Calls counts calls by function ID, for tests and --verbose.
	Calls map[uint32]int
}

// New returns a Handler that reports power events to p.
func New(p Platform) *Handler { return &Handler{Platform: p, Calls: map[uint32]int{}} }

// Call performs the PSCI call with function ID fn and arguments a1..a3
// (r0..r3 of the HVC) and returns the value to leave in r0. For SYSTEM_OFF,
// SYSTEM_RESET and CPU_OFF the Platform method runs before Call returns;
// the caller must then stop running the CPU (the board's run loop does).
//
// Deviation from QEMU: CPU_SUSPEND returns SUCCESS at once instead of
// waiting for an interrupt. DEN 0022D §5.4.2 allows a standby request to
// return early, and Linux treats the two alike; it only costs idle power.
func (h *Handler) Call(fn, a1, a2, a3 uint32) uint32 {
	if h.Calls != nil {
		h.Calls[fn]++
	}
	if fn&fn64 != 0 && fn&0xff000000 == 0xc4000000 {
		return NotSupported // SMC64 from an AArch32 caller
	}
	switch fn {
	case FnPSCIVersion:
		return Version
	case FnCPUSuspend:
		// power_state: QEMU refuses any bit beyond StateID and
		// StateType (bits 16 and up but the type bit).
		if a1&0xfffe0000 != 0 {
			return InvalidParameters
		}
		return Success
	case FnCPUOff:
		h.Platform.CPUOff()
		return Denied // not reached on hardware: CPU_OFF does not return
	case FnCPUOn:
		if a1&mpidrAffinity == 0 {
			return AlreadyOn
		}
		return InvalidParameters
	case FnAffinityInfo:
		if a2 != 0 || a1&mpidrAffinity != 0 {
			return InvalidParameters
		}
		return affinityOn
	case FnMigrateInfoType:
		return migrateNotRequired
	case FnSystemOff:
		h.Platform.PowerOff()
		return Success
	case FnSystemReset:
		h.Platform.Reset()
		return Success
	case FnPSCIFeatures:
		switch a1 {
		case FnPSCIVersion, FnCPUSuspend, FnCPUOff, FnCPUOn, FnAffinityInfo,
			FnMigrateInfoType, FnSystemOff, FnSystemReset, FnPSCIFeatures:
			return Success
		}
		return NotSupported
	}
	return NotSupported
}

// AddNode writes the /psci node QEMU 7.2 writes for a PSCI 1.x conduit of
// method ("hvc" or "smc") into the tree rooted at root, replacing any /psci
// node already there (a user's DTB may name function IDs that do not match
// this implementation, as QEMU's arm_load_dtb notes). The cpu_* and migrate
// properties carry the PSCI 0.2 SMC32 function IDs for the benefit of
// PSCI 0.1 drivers. The node goes first among root's children and its
// properties are in QEMU's blob order (libfdt inserts each new node and
// property first).
func AddNode(root *fdt.Node, method string) {
	for i, c := range root.Children {
		if c.Name == "psci" {
			root.Children = append(root.Children[:i], root.Children[i+1:]...)
			break
		}
	}
	n := fdt.NewNode("psci")
	n.SetU32("migrate", FnMigrate)
	n.SetU32("cpu_on", FnCPUOn)
	n.SetU32("cpu_off", FnCPUOff)
	n.SetU32("cpu_suspend", FnCPUSuspend)
	n.SetString("method", method)
	n.SetStrings("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci")
	root.Children = append([]*fdt.Node{n}, root.Children...)
}
