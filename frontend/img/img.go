// Package img implements `mimic img`, Mimic's counterpart of qemu-img:
// create, info, convert, check and resize raw and qcow2 images, with
// qemu-img's argument syntax and, where scripts read it, its output.
package img

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"mimic/devices/disk"
)

// Exit statuses, as qemu-img's.
const (
	exitOK          = 0
	exitError       = 1
	exitCorruptions = 2  // check: the image is corrupt
	exitLeaks       = 3  // check: clusters leaked, no corruption
	exitNoCheck     = 63 // check: the format cannot be checked
)

const usage = `usage: mimic img COMMAND [OPTIONS]
commands:
  create [-q] [-f FMT] [-b BACKING [-F BACKING_FMT]] [-u] [-o OPTIONS] FILE [SIZE]
  info [-f FMT] [--output=human|json] [--backing-chain] [-U] FILE
  convert [-q] [-p] [-f FMT] [-O OUTPUT_FMT] [-o OPTIONS] [-U] SRC DST
  check [-q] [-f FMT] [--output=human|json] [-U] FILE
  resize [-q] [-f FMT] [--shrink] FILE [+|-]SIZE
FMT is raw or qcow2; SIZE takes k, M, G, T, P or E suffixes.
qcow2 OPTIONS: cluster_size=SIZE, compat=0.10|1.1, refcount_bits=N,
backing_file=FILE, backing_fmt=FMT, size=SIZE.`

// Main runs `mimic img` with args, the arguments after "img" (the command
// first), and returns the exit status. Errors are one line on stderr
// starting "mimic img: ".
func Main(args []string, stdout, stderr io.Writer) int {
	t := &tool{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		return t.fail(errors.New("missing command (try 'mimic img help')"))
	}
	var err error
	code := exitOK
	switch args[0] {
	case "create":
		err = t.create(args[1:])
	case "info":
		err = t.info(args[1:])
	case "convert":
		err = t.convert(args[1:])
	case "check":
		code, err = t.check(args[1:])
	case "resize":
		err = t.resize(args[1:])
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return exitOK
	default:
		err = fmt.Errorf("unknown command %q (try 'mimic img help')", args[0])
	}
	if err != nil {
		if code == exitOK {
			code = exitError
		}
		t.fail(err)
	}
	return code
}

type tool struct {
	stdout, stderr io.Writer
}

func (t *tool) fail(err error) int {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	fmt.Fprintf(t.stderr, "mimic img: %s\n", msg)
	return exitError
}

// flags returns a flag set for a command that reports errors instead of
// printing them.
func flags(cmd string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(cmd, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args and checks the number of positional arguments.
func parse(fs *pflag.FlagSet, args []string, minArgs, maxArgs int) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("%s: %v", fs.Name(), err)
	}
	rest := fs.Args()
	switch {
	case len(rest) < minArgs:
		return nil, fmt.Errorf("%s: missing arguments (try 'mimic img help')", fs.Name())
	case len(rest) > maxArgs:
		return nil, fmt.Errorf("%s: unexpected argument %q", fs.Name(), rest[maxArgs])
	}
	return rest, nil
}

func checkFormat(name, f string) error {
	switch f {
	case "", disk.FormatRaw, disk.FormatQcow2:
		return nil
	}
	return fmt.Errorf("unknown %s format %q (want raw or qcow2)", name, f)
}

// create: qemu-img create [-f fmt] [-b backing [-F backing_fmt]] [-o ...] FILE [SIZE]
func (t *tool) create(args []string) error {
	fs := flags("create")
	format := fs.StringP("format", "f", disk.FormatRaw, "")
	backing := fs.StringP("backing", "b", "", "")
	backingFmt := fs.StringP("backing-format", "F", "", "")
	opts := fs.StringArrayP("options", "o", nil, "")
	quiet := fs.BoolP("quiet", "q", false, "")
	fs.BoolP("unsafe", "u", false, "") // accepted: Mimic does not open the backing file unless it needs its size or format
	rest, err := parse(fs, args, 1, 2)
	if err != nil {
		return err
	}
	o := disk.CreateOptions{Format: *format, BackingFile: *backing, BackingFormat: *backingFmt}
	if err := applyOptions(&o, *opts); err != nil {
		return err
	}
	if err := checkFormat("image", o.Format); err != nil {
		return err
	}
	if err := checkFormat("backing", o.BackingFormat); err != nil {
		return err
	}
	if len(rest) == 2 {
		if o.Size, err = parseSize(rest[1]); err != nil {
			return err
		}
	} else if o.BackingFile == "" && o.Size == 0 {
		return errors.New("create: image creation needs a size parameter")
	}
	if o.BackingFile != "" && o.Format != disk.FormatQcow2 {
		return fmt.Errorf("create: %s images cannot have a backing file", o.Format)
	}
	if err := disk.Create(rest[0], o); err != nil {
		return err
	}
	if !*quiet {
		info, err := disk.Info(rest[0], disk.InfoOptions{Format: o.Format, NoLock: true})
		if err != nil {
			return err
		}
		fmt.Fprintf(t.stdout, "Formatting '%s', fmt=%s%s\n", rest[0], o.Format, describeCreate(o, info))
	}
	return nil
}

// describeCreate is the option list qemu-img create prints after
// "Formatting".
func describeCreate(o disk.CreateOptions, info *disk.ImageInfo) string {
	if o.Format == disk.FormatRaw {
		return fmt.Sprintf(" size=%d", info.VirtualSize)
	}
	var b strings.Builder
	fmt.Fprintf(&b, " cluster_size=%d", info.ClusterSize)
	if o.Compat != "" {
		fmt.Fprintf(&b, " compat=%s", info.FormatSpecific.Data.Compat)
	}
	fmt.Fprintf(&b, " extended_l2=off compression_type=zlib size=%d", info.VirtualSize)
	if info.BackingFilename != "" {
		fmt.Fprintf(&b, " backing_file=%s", info.BackingFilename)
		if info.BackingFilenameFormat != "" {
			fmt.Fprintf(&b, " backing_fmt=%s", info.BackingFilenameFormat)
		}
	}
	fmt.Fprintf(&b, " lazy_refcounts=off refcount_bits=%d", info.FormatSpecific.Data.RefcountBits)
	return b.String()
}

// applyOptions applies -o key=value[,key=value...] lists.
func applyOptions(o *disk.CreateOptions, lists []string) error {
	for _, list := range lists {
		for _, kv := range strings.Split(list, ",") {
			if kv == "" {
				continue
			}
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("invalid option %q (want key=value)", kv)
			}
			var err error
			switch k {
			case "cluster_size":
				o.ClusterSize, err = parseSize(v)
			case "compat":
				o.Compat = v
			case "refcount_bits":
				o.RefcountBits, err = strconv.Atoi(v)
			case "backing_file":
				o.BackingFile = v
			case "backing_fmt":
				o.BackingFormat = v
			case "size":
				o.Size, err = parseSize(v)
			case "lazy_refcounts", "extended_l2", "preallocation":
				if v != "off" {
					err = fmt.Errorf("%s=%s is not supported (only off)", k, v)
				}
			case "compression_type":
				if v != "zlib" {
					err = fmt.Errorf("compression_type=%s is not supported (only zlib)", v)
				}
			default:
				err = fmt.Errorf("invalid option %q", k)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// parseSize parses a size as qemu-img does: a number, possibly with a
// fraction, and an optional binary suffix b, k/K, M, G, T, P or E.
func parseSize(s string) (int64, error) {
	bad := fmt.Errorf("invalid size %q (use k, M, G, T, P or E suffixes)", s)
	if s == "" {
		return 0, bad
	}
	mult := float64(1)
	num := s
	switch s[len(s)-1] {
	case 'b', 'B':
		num = s[:len(s)-1]
	case 'k', 'K':
		mult, num = 1<<10, s[:len(s)-1]
	case 'm', 'M':
		mult, num = 1<<20, s[:len(s)-1]
	case 'g', 'G':
		mult, num = 1<<30, s[:len(s)-1]
	case 't', 'T':
		mult, num = 1<<40, s[:len(s)-1]
	case 'p', 'P':
		mult, num = 1<<50, s[:len(s)-1]
	case 'e', 'E':
		mult, num = 1<<60, s[:len(s)-1]
	}
	if num == "" || strings.ContainsAny(num, "+-eExXpP_") {
		return 0, bad
	}
	if !strings.Contains(num, ".") {
		n, err := strconv.ParseUint(num, 10, 63)
		if err != nil || float64(n)*mult >= math.MaxInt64 {
			return 0, bad
		}
		return int64(n) * int64(mult), nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 || f*mult >= math.MaxInt64 {
		return 0, bad
	}
	return int64(f * mult), nil
}

// info: qemu-img info [-f fmt] [--output=human|json] [--backing-chain] FILE
func (t *tool) info(args []string) error {
	fs := flags("info")
	format := fs.StringP("format", "f", "", "")
	output := fs.String("output", "human", "")
	chain := fs.Bool("backing-chain", false, "")
	noLock := fs.BoolP("force-share", "U", false, "")
	rest, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if err := checkFormat("image", *format); err != nil {
		return err
	}
	if *output != "human" && *output != "json" {
		return fmt.Errorf("--output must be used with human or json as argument")
	}
	o := disk.InfoOptions{Format: *format, NoLock: *noLock}
	var infos []*disk.ImageInfo
	if *chain {
		infos, err = disk.InfoChain(rest[0], o)
	} else {
		var i *disk.ImageInfo
		i, err = disk.Info(rest[0], o)
		infos = []*disk.ImageInfo{i}
	}
	if err != nil {
		return err
	}
	if *output == "json" {
		var v any = infos[0]
		if *chain {
			v = infos
		}
		return writeJSON(t.stdout, v)
	}
	for i, info := range infos {
		if i > 0 {
			fmt.Fprintln(t.stdout)
		}
		writeHumanInfo(t.stdout, info)
	}
	return nil
}

// writeJSON writes v as qemu-img does: indented by four spaces.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// sizeToStr formats a size as QEMU's size_to_str: three significant
// digits and a binary unit; a value of 1000 units or more is shown in the
// next unit (0.977 MiB, not 1e+03 KiB).
func sizeToStr(v int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	_, exp := math.Frexp(float64(v) / (1000.0 / 1024.0))
	i := (exp - 1) / 10
	i = max(0, min(i, len(units)-1))
	return fmt.Sprintf("%s %s", strconv.FormatFloat(float64(v)/float64(uint64(1)<<(10*i)), 'g', 3, 64), units[i])
}

// writeHumanInfo prints an ImageInfo as qemu-img info does.
func writeHumanInfo(w io.Writer, info *disk.ImageInfo) {
	fmt.Fprintf(w, "image: %s\n", info.Filename)
	fmt.Fprintf(w, "file format: %s\n", info.Format)
	fmt.Fprintf(w, "virtual size: %s (%d bytes)\n", sizeToStr(info.VirtualSize), info.VirtualSize)
	fmt.Fprintf(w, "disk size: %s\n", sizeToStr(info.ActualSize))
	if info.ClusterSize != 0 {
		fmt.Fprintf(w, "cluster_size: %d\n", info.ClusterSize)
	}
	if info.DirtyFlag {
		fmt.Fprintf(w, "cleanly shut down: no\n")
	}
	if info.BackingFilename != "" {
		fmt.Fprintf(w, "backing file: %s", info.BackingFilename)
		if info.FullBackingFilename != info.BackingFilename {
			fmt.Fprintf(w, " (actual path: %s)", info.FullBackingFilename)
		}
		fmt.Fprintln(w)
		if info.BackingFilenameFormat != "" {
			fmt.Fprintf(w, "backing file format: %s\n", info.BackingFilenameFormat)
		}
	}
	if len(info.Snapshots) > 0 {
		fmt.Fprintf(w, "Snapshot list:\n")
		fmt.Fprintf(w, "%-10s%-17s%8s%20s%13s%11s\n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK", "ICOUNT")
		for _, s := range info.Snapshots {
			date := time.Unix(s.DateSec, 0).Format("2006-01-02 15:04:05")
			secs := s.VMClockSec
			clock := fmt.Sprintf("%02d:%02d:%02d.%03d", secs/3600, secs/60%60, secs%60, s.VMClockNsec/1e6)
			icount := ""
			if s.ICount != nil {
				icount = strconv.FormatInt(*s.ICount, 10)
			}
			fmt.Fprintf(w, "%-9s %-16s %8s%20s%13s%11s\n", s.ID, s.Name, sizeToStr(s.VMStateSize), date, clock, icount)
		}
	}
	if fsp := info.FormatSpecific; fsp != nil && fsp.Data != nil {
		d := fsp.Data
		fmt.Fprintf(w, "Format specific information:\n")
		fmt.Fprintf(w, "    compat: %s\n", d.Compat)
		fmt.Fprintf(w, "    compression type: %s\n", d.CompressionType)
		if d.LazyRefcounts != nil {
			fmt.Fprintf(w, "    lazy refcounts: %t\n", *d.LazyRefcounts)
		}
		fmt.Fprintf(w, "    refcount bits: %d\n", d.RefcountBits)
		if d.Corrupt != nil {
			fmt.Fprintf(w, "    corrupt: %t\n", *d.Corrupt)
		}
		if d.ExtendedL2 != nil {
			fmt.Fprintf(w, "    extended l2: %t\n", *d.ExtendedL2)
		}
	}
}

// check: qemu-img check [-f fmt] [--output=human|json] FILE
func (t *tool) check(args []string) (int, error) {
	fs := flags("check")
	format := fs.StringP("format", "f", "", "")
	output := fs.String("output", "human", "")
	quiet := fs.BoolP("quiet", "q", false, "")
	noLock := fs.BoolP("force-share", "U", false, "")
	rest, err := parse(fs, args, 1, 1)
	if err != nil {
		return exitError, err
	}
	if err := checkFormat("image", *format); err != nil {
		return exitError, err
	}
	if *output != "human" && *output != "json" {
		return exitError, fmt.Errorf("--output must be used with human or json as argument")
	}
	res, err := disk.Check(rest[0], disk.CheckOptions{Format: *format, NoLock: *noLock})
	if err != nil {
		if errors.Is(err, disk.ErrUnsupported) && strings.Contains(err.Error(), "does not support checks") {
			return exitNoCheck, err
		}
		return exitError, err
	}
	for _, m := range res.Messages {
		fmt.Fprintln(t.stderr, m)
	}
	if *output == "json" {
		if err := writeJSON(t.stdout, res); err != nil {
			return exitError, err
		}
	} else if !*quiet {
		writeHumanCheck(t.stdout, res)
	}
	switch {
	case res.CheckErrors != 0:
		return exitError, nil
	case res.Corruptions != 0:
		return exitCorruptions, nil
	case res.Leaks != 0:
		return exitLeaks, nil
	}
	return exitOK, nil
}

// writeHumanCheck prints a CheckResult as qemu-img check does.
func writeHumanCheck(w io.Writer, r *disk.CheckResult) {
	if r.Corruptions == 0 && r.Leaks == 0 && r.CheckErrors == 0 {
		fmt.Fprintf(w, "No errors were found on the image.\n")
	} else {
		if r.Corruptions != 0 {
			fmt.Fprintf(w, "\n%d errors were found on the image.\nData may be corrupted, or further writes to the image may corrupt it.\n", r.Corruptions)
		}
		if r.Leaks != 0 {
			fmt.Fprintf(w, "\n%d leaked clusters were found on the image.\nThis means waste of disk space, but no harm to data.\n", r.Leaks)
		}
		if r.CheckErrors != 0 {
			fmt.Fprintf(w, "\n%d internal errors have occurred during the check.\n", r.CheckErrors)
		}
	}
	if r.TotalClusters != 0 && r.AllocatedClusters != 0 {
		pct := func(n int64, of int64) float64 { return 100 * float64(n) / float64(of) }
		fmt.Fprintf(w, "%d/%d = %0.2f%% allocated, %0.2f%% fragmented, %0.2f%% compressed clusters\n",
			r.AllocatedClusters, r.TotalClusters, pct(r.AllocatedClusters, r.TotalClusters),
			pct(r.FragmentedClusters, r.AllocatedClusters), pct(r.CompressedClusters, r.AllocatedClusters))
	}
	if r.ImageEndOffset != 0 {
		fmt.Fprintf(w, "Image end offset: %d\n", r.ImageEndOffset)
	}
}

// resize: qemu-img resize [-f fmt] [--shrink] FILE [+|-]SIZE
func (t *tool) resize(args []string) error {
	// As qemu-img does, take the size off the end before parsing options,
	// so that "-1G" is not read as an option.
	if len(args) < 2 {
		return errors.New("resize: missing arguments (try 'mimic img help')")
	}
	sizeArg := args[len(args)-1]
	fs := flags("resize")
	format := fs.StringP("format", "f", "", "")
	shrink := fs.Bool("shrink", false, "")
	quiet := fs.BoolP("quiet", "q", false, "")
	rest, err := parse(fs, args[:len(args)-1], 1, 1)
	if err != nil {
		return err
	}
	if err := checkFormat("image", *format); err != nil {
		return err
	}
	rel := 0
	switch {
	case strings.HasPrefix(sizeArg, "+"):
		rel, sizeArg = 1, sizeArg[1:]
	case strings.HasPrefix(sizeArg, "-"):
		rel, sizeArg = -1, sizeArg[1:]
	}
	n, err := parseSize(sizeArg)
	if err != nil {
		return err
	}
	size := n
	if rel != 0 {
		info, err := disk.Info(rest[0], disk.InfoOptions{Format: *format, NoLock: true})
		if err != nil {
			return err
		}
		size = info.VirtualSize + int64(rel)*n
	}
	if size < 0 {
		return errors.New("resize: new image size must be positive")
	}
	if err := disk.Resize(rest[0], *format, size, *shrink); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintln(t.stdout, "Image resized.")
	}
	return nil
}

// convert: qemu-img convert [-f fmt] [-O fmt] [-o ...] [-p] SRC DST
func (t *tool) convert(args []string) error {
	fs := flags("convert")
	format := fs.StringP("format", "f", "", "")
	outFormat := fs.StringP("output-format", "O", disk.FormatRaw, "")
	opts := fs.StringArrayP("options", "o", nil, "")
	progress := fs.BoolP("progress", "p", false, "")
	compress := fs.BoolP("compress", "c", false, "")
	noLock := fs.BoolP("force-share", "U", false, "")
	fs.BoolP("quiet", "q", false, "")
	rest, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	if *compress {
		return errors.New("convert: writing compressed clusters (-c) is not supported")
	}
	if err := checkFormat("image", *format); err != nil {
		return err
	}
	if err := checkFormat("output", *outFormat); err != nil {
		return err
	}
	src, err := disk.Open(rest[0], disk.OpenOptions{Format: *format, ReadOnly: true, NoLock: *noLock})
	if err != nil {
		return err
	}
	defer src.Close()
	o := disk.CreateOptions{Format: *outFormat, Size: src.Size()}
	if err := applyOptions(&o, *opts); err != nil {
		return err
	}
	if o.BackingFile != "" {
		return errors.New("convert: a backing file for the output (-B, backing_file) is not supported")
	}
	if err := disk.Create(rest[1], o); err != nil {
		return err
	}
	dst, err := disk.Open(rest[1], disk.OpenOptions{Format: *outFormat, Cache: disk.CacheUnsafe})
	if err != nil {
		return err
	}
	var bar *progressBar
	if *progress && isTerminal(t.stderr) {
		bar = &progressBar{w: t.stderr}
	}
	err = copyImage(dst, src, bar)
	if e := dst.Close(); err == nil {
		err = e
	}
	if err == nil {
		// Cache "unsafe" skipped the syncs while copying; make the
		// result durable once, at the end.
		err = syncFile(rest[1])
	}
	return err
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// copyBlock is the unit of the copy; zeroBlock the granularity at which
// zeros are skipped (qemu-img convert's default -S 4k).
const (
	copyBlock = 2 << 20
	zeroBlock = 4 << 10
)

var zeros [zeroBlock]byte

// copyImage copies src to dst (of the same size, freshly created and so
// reading as zeros), skipping runs of zeros to keep dst sparse.
func copyImage(dst, src disk.Image, bar *progressBar) error {
	size := src.Size()
	buf := make([]byte, copyBlock)
	for off := int64(0); off < size; off += copyBlock {
		n := min(copyBlock, size-off)
		b := buf[:n]
		if _, err := src.ReadAt(b, off); err != nil {
			return err
		}
		// Write each run of non-zero blocks with one request.
		for i := int64(0); i < n; {
			if isZero(b[i:min(i+zeroBlock, n)]) {
				i += zeroBlock
				continue
			}
			j := i + zeroBlock
			for j < n && !isZero(b[j:min(j+zeroBlock, n)]) {
				j += zeroBlock
			}
			j = min(j, n)
			if _, err := dst.WriteAt(b[i:j], off+i); err != nil {
				return err
			}
			i = j
		}
		bar.update(off+n, size)
	}
	bar.done()
	return nil
}

func isZero(b []byte) bool { return bytes.Equal(b, zeros[:len(b)]) }

// progressBar prints qemu-img's progress, "    (42.00/100%)", updated in
// place.
type progressBar struct {
	w    io.Writer
	last float64
}

func (p *progressBar) update(done, total int64) {
	if p == nil {
		return
	}
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(done) / float64(total)
	}
	if pct-p.last < 1 && pct < 100 && done != 0 {
		return
	}
	p.last = pct
	fmt.Fprintf(p.w, "    (%3.2f/100%%)\r", pct)
}

func (p *progressBar) done() {
	if p == nil {
		return
	}
	fmt.Fprintf(p.w, "    (100.00/100%%)\n")
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
