package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Each apply function takes one occurrence of its option, already
// checked against the table (sub-options in a.kvs), and records it in
// p.o. What needs the whole command line (ids referenced, defaults that
// depend on other options) waits for finish.

func applyHelp(p *parser, a *arg) error { return &Help{Text: Usage()} }

func applyString(field func(*Options) *string) func(*parser, *arg) error {
	return func(p *parser, a *arg) error {
		*field(p.o) = a.value // the last one wins, as in QEMU
		return nil
	}
}

func applyFlag(field func(*Options) *bool) func(*parser, *arg) error {
	return func(p *parser, a *arg) error {
		v, err := a.flag()
		*field(p.o) = v
		return err
	}
}

func applyMachine(p *parser, a *arg) error {
	if a.variant != nil {
		p.o.Machine = a.variant.Name
	}
	for _, kv := range a.kvs.without("type") {
		if kv.Key == "accel" {
			p.machineAccel = a
			continue
		}
		// Repeated -machine options merge, the last value winning.
		replaced := false
		for i := range p.o.MachineProps {
			if p.o.MachineProps[i].Key == kv.Key {
				p.o.MachineProps[i].Value = kv.Value
				replaced = true
			}
		}
		if !replaced {
			p.o.MachineProps = append(p.o.MachineProps, KV{Key: kv.Key, Value: kv.Value})
		}
	}
	return nil
}

func applyCPU(p *parser, a *arg) error {
	p.o.CPU = a.variant.Name
	return nil
}

func applyAccel(p *parser, a *arg) error {
	p.accels = append(p.accels, a)
	return nil
}

// resolveAccel picks the engine from -accel (each in turn, as QEMU
// falls back from an accelerator it cannot start to the next) or from
// the older -machine accel=a:b:c, which QEMU does not let be mixed.
func (p *parser) resolveAccel() error {
	type choice struct {
		a    *arg
		name string
	}
	var list []choice
	for _, a := range p.accels {
		list = append(list, choice{a, a.variant.Name})
	}
	if m := p.machineAccel; m != nil {
		if len(p.accels) > 0 {
			return fmt.Errorf("%s and %s accel= cannot be used together (QEMU refuses them too)", p.accels[0].spell, m.spell)
		}
		v, _ := m.kvs.get("accel")
		for _, name := range strings.Split(v, ":") {
			o := theTable().qemu["accel"]
			if o.variant(name) == nil {
				return m.errorf("accel=%s: unknown accelerator %q (supported: %s)", v, name, o.supportedVariants())
			}
			list = append(list, choice{m, name})
		}
	}
	p.o.Accel = "native"
	for i, c := range list {
		v := theTable().qemu["accel"].variant(c.name)
		if v.Reject == "" {
			if c.name == "interp" {
				p.o.Accel = "interp"
			}
			return nil
		}
		if i == len(list)-1 {
			return c.a.errorf("%s", v.Reject)
		}
		why, _, _ := strings.Cut(v.Reject, ";")
		p.warn(fmt.Sprintf("%s %s: %s; falling back to %s", c.a.spell, c.name, why, list[i+1].name))
	}
	return nil
}

func applySMP(p *parser, a *arg) error {
	for _, kv := range a.kvs {
		n, _ := parseUint(kv.Value)
		switch {
		case kv.Key == "cpus" && n == 0:
			return a.errorf("cpus=0: want at least 1")
		case n != 1:
			return a.errorf("Mimic runs one CPU until SMP lands")
		}
	}
	p.o.SMP = 1
	return nil
}

func applyMem(p *parser, a *arg) error {
	v, ok := a.kvs.get("size")
	if !ok {
		return a.errorf("missing size")
	}
	size, err := ParseSize(v, 1<<20)
	if err != nil || size > 1<<40 {
		return a.errorf("bad memory size %q (want e.g. 256, 512M, 1G)", v)
	}
	// QEMU rounds the RAM size up to 8 KiB; 0 means the board's default.
	p.o.RAM = (size + 8<<10 - 1) &^ (8<<10 - 1)
	return nil
}

func applyGlobal(p *parser, a *arg) error {
	// QEMU's short form is DRIVER.PROP=VALUE, the value taken whole
	// (commas included); the long form is driver=D,property=P,value=V.
	var g Global
	if d, rest, ok := strings.Cut(a.value, "."); ok && d != "" && !strings.ContainsAny(d, "=,") {
		prop, val, ok := strings.Cut(rest, "=")
		if !ok || prop == "" {
			return a.errorf("want DRIVER.PROPERTY=VALUE")
		}
		g = Global{Driver: d, Property: prop, Value: val}
	} else {
		raw, err := ParseKeyVals(a.value, "")
		if err != nil {
			return a.errorf("%v", err)
		}
		checked, err := checkKeys(raw, []Key{{Name: "driver"}, {Name: "property"}, {Name: "value"}}, p.warn)
		if err != nil {
			return a.errorf("%v", err)
		}
		l := kvs(checked)
		g.Driver, _ = l.get("driver")
		g.Property, _ = l.get("property")
		g.Value, _ = l.get("value")
		if g.Driver == "" || g.Property == "" {
			return a.errorf("want DRIVER.PROPERTY=VALUE or driver=D,property=P,value=V")
		}
	}
	k := findKey(globalKeys, g.Driver+"."+g.Property)
	if k == nil {
		return a.errorf("unknown property %s.%s (supported: %s)", g.Driver, g.Property, keyNames(globalKeys))
	}
	v, err := checkValue(k, g.Value)
	if err != nil {
		return a.errorf("%v", err)
	}
	g.Value = v
	p.o.Globals = append(p.o.Globals, g)
	return nil
}

func applyDrive(p *parser, a *arg) error {
	if _, ok := a.kvs.get("index"); ok {
		_, unit := a.kvs.get("unit")
		if unit {
			return a.errorf("index cannot be used with bus and unit")
		}
	}
	p.drives = append(p.drives, a)
	return nil
}

func applyDevice(p *parser, a *arg) error {
	d := Device{Driver: a.variant.Name}
	d.ID, _ = a.kvs.get("id")
	switch d.Driver {
	case "virtio-blk-device":
		d.Drive, _ = a.kvs.get("drive")
		d.Serial, _ = a.kvs.get("serial")
		if d.Drive == "" {
			return a.errorf("drive= is required (the ID of a -drive if=none)")
		}
	case "virtio-net-device":
		d.Netdev, _ = a.kvs.get("netdev")
		if mac, ok := a.kvs.get("mac"); ok {
			m, err := parseMAC(mac)
			if err != nil {
				return a.errorf("%v", err)
			}
			d.MAC = m
		}
	case "virtio-gpu-device":
		d.MaxOutputs = 1
		for _, k := range []struct {
			key      string
			field    *int
			min, max uint64
		}{{"xres", &d.XRes, 1, 16384}, {"yres", &d.YRes, 1, 16384}, {"max_outputs", &d.MaxOutputs, 1, 16}} {
			if v, ok := a.kvs.get(k.key); ok {
				n, _ := parseUint(v)
				if n < k.min || n > k.max {
					return a.errorf("%s=%s: want %d to %d", k.key, v, k.min, k.max)
				}
				*k.field = int(n)
			}
		}
		d.NoEDID = !a.kvs.on("edid", true)
		if v, ok := a.kvs.get("max_hostmem"); ok {
			n, err := ParseSize(v, 1)
			if err != nil || n == 0 {
				return a.errorf("max_hostmem=%s: want a size such as 256M", v)
			}
			d.MaxHostMem = n
		}
	case "ramfb":
		for _, other := range p.o.Devices {
			if other.Driver == "ramfb" {
				return a.errorf("only one ramfb device is allowed (as QEMU)")
			}
		}
	case "virtio-sound-device":
		d.Audiodev, _ = a.kvs.get("audiodev")
	}
	p.o.Devices = append(p.o.Devices, d)
	p.devices = append(p.devices, a)
	return nil
}

func applyAudiodev(p *parser, a *arg) error {
	ad := Audiodev{Driver: a.variant.Name}
	ad.ID, _ = a.kvs.get("id")
	if ad.ID == "" {
		return a.errorf("id= is required")
	}
	for _, other := range p.o.Audiodevs {
		if other.ID == ad.ID {
			return a.errorf("duplicate audiodev id %q", ad.ID)
		}
	}
	if ad.Driver == "wav" {
		ad.Path = "qemu.wav"
		if v, ok := a.kvs.get("path"); ok && v != "" {
			ad.Path = v
		}
	}
	p.o.Audiodevs = append(p.o.Audiodevs, ad)
	return nil
}

func applyDisplay(p *parser, a *arg) error {
	p.o.Display = a.variant.Name
	var d DisplayOptions
	if a.variant.Name == "sdl" {
		d.NoWindowClose = !a.kvs.on("window-close", true)
		d.FullScreen = a.kvs.on("full-screen", false)
		d.ShowCursor = a.kvs.on("show-cursor", false)
		d.IntegerScale = a.kvs.on("integer-scale", false)
		d.GrabMod, _ = a.kvs.get("grab-mod")
	}
	p.o.DisplayOpts = d
	return nil
}

func applyVGA(p *parser, a *arg) error {
	if a.value != "none" {
		return a.errorf("VGA cards are %s (the virt board has none: -vga none)", notYetMsg)
	}
	return nil
}

func applyNIC(p *parser, a *arg) error {
	if a.variant.Name == "none" {
		p.o.NoNIC = true
		return nil
	}
	n := NIC{Model: "virtio-net-device"}
	if model, ok := a.kvs.get("model"); ok {
		n.ModelGiven = true
		if model == "lan9118" {
			n.Model = model
		}
	}
	if mac, ok := a.kvs.get("mac"); ok {
		m, err := parseMAC(mac)
		if err != nil {
			return a.errorf("%v", err)
		}
		n.MAC = m
	}
	nd, err := netdev(a, a.kvs.without("mac", "model"))
	if err != nil {
		return err
	}
	if nd.ID == "" {
		// QEMU's name for a -nic's back end.
		nd.ID = fmt.Sprintf("__org.qemu.nic%d", len(p.o.NICs))
	}
	n.Netdev = nd
	p.o.NICs = append(p.o.NICs, n)
	p.backends = append(p.backends, backend{nd.ID, a})
	return nil
}

func applyNetdev(p *parser, a *arg) error {
	nd, err := netdev(a, a.kvs)
	if err != nil {
		return err
	}
	if nd.ID == "" {
		return a.errorf("id= is required")
	}
	p.o.Netdevs = append(p.o.Netdevs, nd)
	p.backends = append(p.backends, backend{nd.ID, a})
	return nil
}

func applyNet(p *parser, a *arg) error {
	if a.value == "none" {
		p.o.NoNIC = true
		return nil
	}
	return a.errorf("QEMU's legacy -net is not supported; use -nic user,model=virtio (one option) or -netdev user,id=n0 -device virtio-net-device,netdev=n0")
}

// serialBackends are QEMU's -serial devices Mimic does not support yet,
// by prefix.
var serialBackends = []string{"vc", "pty", "chardev:", "/dev/", "pipe:", "udp:", "tcp:", "telnet:",
	"websocket:", "unix:", "braille", "msmouse", "COM", "mon:"}

func applySerial(p *parser, a *arg) error {
	if p.serials++; p.serials > 1 {
		return a.errorf("the virt board has one UART (a second -serial is not supported)")
	}
	v := a.value
	var s Serial
	if rest, ok := strings.CutPrefix(v, "mon:"); ok && rest == "stdio" {
		s.Mux, v = true, rest
	}
	switch {
	case v == "stdio":
		s.Backend = "stdio"
	case v == "null", v == "none":
		s.Backend = "null"
	case strings.HasPrefix(v, "file:") && len(v) > len("file:"):
		s.Backend, s.Path = "file", strings.TrimPrefix(v, "file:")
	default:
		for _, b := range serialBackends {
			if strings.HasPrefix(v, b) {
				return a.errorf("%s (supported: stdio, mon:stdio, null, none, file:PATH)", notYetMsg)
			}
		}
		return a.errorf("unknown serial device (supported: stdio, mon:stdio, null, none, file:PATH)")
	}
	p.o.Serial = s
	return nil
}

func applyMonitor(p *parser, a *arg) error {
	if a.value != "none" {
		return a.errorf("the monitor is %s (-monitor none is accepted)", notYetMsg)
	}
	p.o.Monitor = "none"
	return nil
}

func applySemihostingConfig(p *parser, a *arg) error {
	// QEMU: giving the option enables semihosting unless enable=off;
	// several -semihosting-config merge, their args adding up.
	p.o.Semihosting = a.kvs.on("enable", true)
	p.o.SemihostingArgs = append(p.o.SemihostingArgs, a.kvs.all("arg")...)
	return nil
}

func applyRTC(p *parser, a *arg) error {
	if base, ok := a.kvs.get("base"); ok {
		switch base {
		case "utc", "localtime":
			p.o.RTC.Base, p.o.RTC.Start = base, time.Time{}
		default:
			t, ok := parseRTCDate(base)
			if !ok {
				return a.errorf("base=%s: want utc, localtime, or a date such as 2006-06-17T16:01:21 or 2006-06-17", base)
			}
			p.o.RTC.Base, p.o.RTC.Start = "datetime", t
		}
	}
	if c, ok := a.kvs.get("clock"); ok {
		p.o.RTC.Clock = c
		p.rtc = a
	}
	return nil
}

// parseRTCDate reads QEMU's -rtc base date, YYYY-MM-DD[THH:MM:SS] (the
// fields as numbers, "2006-6-7" too), in UTC.
func parseRTCDate(s string) (time.Time, bool) {
	date, clock, hasClock := strings.Cut(s, "T")
	var f [6]int
	parse := func(s string, sep string, out []int) bool {
		parts := strings.Split(s, sep)
		if len(parts) != len(out) {
			return false
		}
		for i, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || !allDigits(p) {
				return false
			}
			out[i] = n
		}
		return true
	}
	if !parse(date, "-", f[:3]) || hasClock && !parse(clock, ":", f[3:]) {
		return time.Time{}, false
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, time.UTC)
	// time.Date normalises 2006-13-40; QEMU's mktimegm would too, but a
	// date that is not a date is more likely a typo.
	if t.Year() != f[0] || int(t.Month()) != f[1] || t.Day() != f[2] || t.Hour() != f[3] || t.Minute() != f[4] || t.Second() != f[5] {
		return time.Time{}, false
	}
	return t, true
}

func applyICount(p *parser, a *arg) error {
	shift, ok := a.kvs.get("shift")
	switch {
	case !ok:
		// QEMU quietly leaves icount off without shift=; say so instead.
		return a.errorf("shift= is required (-icount shift=N)")
	case shift == "auto":
		return a.errorf("shift=auto is not supported: Mimic's -icount is for deterministic runs; give shift=N")
	}
	n, err := strconv.Atoi(shift)
	if err != nil || n < 0 || n > 10 || !allDigits(shift) {
		return a.errorf("bad shift %q (want shift=N with N from 0 to 10)", shift)
	}
	p.o.ICount = ICount{Shift: n, Sleep: a.kvs.on("sleep", true)}
	p.icount = a
	return nil
}

func applyTimeout(p *parser, a *arg) error {
	d, err := time.ParseDuration(a.value)
	if err != nil || d < 0 {
		return a.errorf("want a duration such as 30s or 2m")
	}
	p.o.Timeout = d
	return nil
}

func applyMaxInsns(p *parser, a *arg) error {
	n, err := strconv.ParseUint(a.value, 10, 64)
	if err != nil {
		return a.errorf("want a number of instructions")
	}
	p.o.MaxInsns = n
	return nil
}

// finish fills in the defaults and checks the command line as a whole.
func (p *parser) finish() error {
	o := p.o
	if o.Machine == "" {
		o.Machine = "virt"
	}
	for _, n := range o.NICs {
		switch {
		case n.Model == "lan9118" && o.Machine != "mps2-an385" && o.Machine != "mps2-an386":
			return fmt.Errorf("-nic model=lan9118: only the mps2-an385 and mps2-an386 boards have a LAN9118")
		case n.ModelGiven && n.Model != "lan9118" && (o.Machine == "mps2-an385" || o.Machine == "mps2-an386"):
			return fmt.Errorf("-machine %s: its network card is the LAN9118 (-nic user,model=lan9118 or no model=)", o.Machine)
		}
	}
	if want, ok := mcuCPU[o.Machine]; ok {
		if o.CPU != "" && o.CPU != want {
			return fmt.Errorf("-machine %s has a %s: -cpu %s is not possible", o.Machine, want, o.CPU)
		}
		o.CPU = want
	} else if o.CPU == "" {
		o.CPU = "cortex-a15"
	} else if o.CPU != "cortex-a15" {
		return fmt.Errorf("-cpu %s is a microcontroller core: use -machine %s", o.CPU, mcuBoardsFor(o.CPU))
	}
	if o.SMP == 0 {
		o.SMP = 1
	}
	if o.Display == "" {
		o.Display = "none"
	}
	if o.NoGraphic && o.Display != "none" {
		return fmt.Errorf("-nographic cannot be used with -display %s", o.Display)
	}
	if p.icount == nil {
		o.ICount = ICount{Shift: -1}
	}
	if p.serials == 0 {
		o.Serial = Serial{Backend: "stdio"}
		if o.NoDefaults {
			o.Serial = Serial{Backend: "null"}
		}
	}
	if err := p.resolveAccel(); err != nil {
		return err
	}
	if p.rtc != nil && o.ICount.Shift >= 0 && o.RTC.Clock != "vm" {
		return p.rtc.errorf("clock=%s with -icount: Mimic's RTC follows virtual time (clock=vm)", o.RTC.Clock)
	}
	if a := p.last[theTable().qemu["initrd"]]; a != nil && o.Initrd != "" && o.Kernel == "" {
		return fmt.Errorf("%s needs %skernel", a.spell, dashes(a.spell))
	}
	if a := p.last[theTable().qemu["append"]]; a != nil && o.Append != "" && o.Kernel == "" && !o.Semihosting {
		return fmt.Errorf("%s needs %skernel", a.spell, dashes(a.spell))
	}
	if err := p.finishDrives(); err != nil {
		return err
	}
	if err := p.checkReferences(); err != nil {
		return err
	}
	o.Warnings = p.warnings
	return nil
}

// dashes is the dashes an option was written with.
func dashes(spell string) string {
	if strings.HasPrefix(spell, "--") {
		return "--"
	}
	return "-"
}

// finishDrives builds the drives in order as QEMU's drive_new does:
// each gets a unit (index=, unit=, or the first free one on its
// interface) and, without id=, the name of its interface and unit.
func (p *parser) finishDrives() error {
	used := map[string]map[int]bool{}
	ids := map[string]bool{}
	for _, a := range p.drives {
		d := Drive{If: "virtio", Cache: "writeback", Discard: "ignore", AIO: "threads", Locking: "auto"}
		l := a.kvs
		d.File, _ = l.get("file")
		d.Format, _ = l.get("format")
		if v, ok := l.get("if"); ok {
			d.If = v
		}
		d.ReadOnly = l.on("readonly", false)
		// -snapshot forces snapshot=on, as QEMU sets it on every drive.
		d.Snapshot = l.on("snapshot", false) || p.o.Snapshot
		if v, ok := l.get("cache"); ok {
			d.Cache = v
		}
		if v, ok := l.get("discard"); ok {
			d.Discard = map[string]string{"off": "ignore", "ignore": "ignore", "on": "unmap", "unmap": "unmap"}[v]
		}
		if v, ok := l.get("aio"); ok {
			d.AIO = v
		}
		if v, ok := l.get("file.locking"); ok {
			d.Locking = v
		}
		if used[d.If] == nil {
			used[d.If] = map[int]bool{}
		}
		unit := -1
		if v, ok := l.get("index"); ok {
			n, _ := parseUint(v)
			unit = int(min(n, 1<<20))
		} else if v, ok := l.get("unit"); ok {
			n, _ := parseUint(v)
			unit = int(min(n, 1<<20))
		} else {
			for unit = 0; used[d.If][unit]; unit++ {
			}
		}
		if used[d.If][unit] {
			return a.errorf("drive with bus=0, unit=%d (index=%d) exists", unit, unit)
		}
		used[d.If][unit] = true
		d.Unit = unit
		if d.If == "pflash" && unit > 1 {
			return a.errorf("the virt board has two flash banks (unit 0 and 1)")
		}
		if d.If == "pflash" && unit == 0 && p.o.Bios != "" {
			return a.errorf("the first flash bank cannot be given by both -bios and -drive")
		}
		if d.If == "virtio" && d.File == "" {
			return a.errorf("a virtio disk needs file= (an empty drive is only for if=none)")
		}
		d.ID, _ = l.get("id")
		if d.ID == "" {
			d.ID = fmt.Sprintf("%s%d", d.If, unit)
		}
		if ids[d.ID] {
			return a.errorf("duplicate drive id %q", d.ID)
		}
		ids[d.ID] = true
		p.o.Drives = append(p.o.Drives, d)
	}
	return nil
}

// checkReferences checks what refers to what, as QEMU does when it
// creates the devices: ids are unique, every drive= and netdev= names
// one that exists and is used by one device only, and the virt board's
// 32 virtio-mmio transports suffice.
func (p *parser) checkReferences() error {
	o := p.o
	drives := map[string]*Drive{}
	for i := range o.Drives {
		drives[o.Drives[i].ID] = &o.Drives[i]
	}
	netdevs := map[string]string{} // id -> "" free, or what uses it
	for _, b := range p.backends {
		if _, dup := netdevs[b.id]; dup {
			return b.a.errorf("duplicate netdev id %q", b.id)
		}
		netdevs[b.id] = ""
		if b.a.opt.Name == "nic" {
			netdevs[b.id] = b.a.spell
		}
	}
	devIDs := map[string]bool{}
	driveUsers := map[string]bool{}
	for i, d := range o.Devices {
		a := p.devices[i]
		if d.ID != "" {
			if devIDs[d.ID] {
				return a.errorf("duplicate device id %q", d.ID)
			}
			devIDs[d.ID] = true
		}
		if d.Drive != "" {
			dr := drives[d.Drive]
			switch {
			case dr == nil:
				return a.errorf("drive=%s: no -drive has id=%s", d.Drive, d.Drive)
			case dr.If != "none":
				return a.errorf("drive=%s: that drive already has its own %s device (add if=none to the -drive)", d.Drive, dr.If)
			case driveUsers[d.Drive]:
				return a.errorf("drive=%s: the drive is already used by another device", d.Drive)
			case dr.File == "":
				return a.errorf("drive=%s: the drive is empty (no file=)", d.Drive)
			}
			driveUsers[d.Drive] = true
		}
		if d.Netdev != "" {
			user, ok := netdevs[d.Netdev]
			switch {
			case !ok:
				return a.errorf("netdev=%s: no -netdev has id=%s", d.Netdev, d.Netdev)
			case user != "":
				return a.errorf("netdev=%s: the back end is already used by %s", d.Netdev, user)
			}
			netdevs[d.Netdev] = a.spell + " " + d.Driver
		}
		if d.Audiodev != "" {
			found := false
			for _, ad := range o.Audiodevs {
				found = found || ad.ID == d.Audiodev
			}
			if !found {
				return a.errorf("audiodev=%s: no -audiodev has id=%s", d.Audiodev, d.Audiodev)
			}
		}
	}
	for _, nd := range o.Netdevs {
		if netdevs[nd.ID] == "" {
			p.warn(fmt.Sprintf("netdev %s has no network card (QEMU: \"has no peer\")", nd.ID))
		}
	}
	virtio := len(o.NICs)
	for _, d := range o.Devices {
		if d.Driver != "ramfb" { // ramfb lives in fw_cfg, not on a transport
			virtio++
		}
	}
	for _, d := range o.Drives {
		if d.If == "virtio" {
			virtio++
		}
	}
	if virtio > 32 {
		return fmt.Errorf("%d virtio devices: the virt board has 32 virtio-mmio transports", virtio)
	}
	return nil
}

// mcuBoardsFor lists the boards with CPU model cpu.
func mcuBoardsFor(cpu string) string {
	var names []string
	for _, v := range machineTypes {
		if mcuCPU[v.Name] == cpu {
			names = append(names, v.Name)
		}
	}
	return strings.Join(names, " or ")
}

// IsMCU reports whether the machine is a microcontroller board (an
// M-profile CPU, firmware in its own memory, no virtio).
func (o *Options) IsMCU() bool { _, ok := mcuCPU[o.Machine]; return ok }
