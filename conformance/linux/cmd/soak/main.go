// Command soak boots Linux guests over and over in realtime mode, to the
// initramfs shell and back out through `poweroff -f`, to catch hangs that
// show once in a hundred boots (issue 7: a generic-timer interrupt lost in
// realtime mode). A boot that does not finish in time is a failure: soak
// sends the emulator SIGQUIT, so Mimic prints its CPU, timer and GIC state,
// and shows the console's last lines.
//
//	soak -n 200 -j 2 [-emulator "bin/mimic -M virt"] [-guests .cache/guests]
//
// The kernels (every one in the guest directory's manifest, or -kernels)
// take turns. Exit status 1 when any boot failed.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"mimic/conformance/linux/guest"
)

func main() {
	emu := flag.String("emulator", "bin/mimic -M virt", "emulator command")
	guests := flag.String("guests", ".cache/guests", "guest directory (scripts/fetch-guests.sh)")
	kernelList := flag.String("kernels", "", "comma-separated kernel names from the manifest (default: all of them)")
	n := flag.Int("n", 200, "boots in all")
	jobs := flag.Int("j", 2, "boots at a time")
	ram := flag.Int("m", 512, "RAM in MiB")
	limit := flag.Duration("timeout", 60*time.Second, "limit for one boot, start to exit")
	tailLines := flag.Int("tail", 40, "console lines to show for a failed boot")
	flag.Parse()

	kernels, err := pickKernels(*guests, *kernelList)
	if err != nil {
		fmt.Fprintf(os.Stderr, "soak: %v\n", err)
		os.Exit(2)
	}
	start := time.Now()
	var mu sync.Mutex
	var failed []int
	var slowest time.Duration
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(*jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				k := kernels[i%len(kernels)]
				b := guest.Boot{
					Emulator: strings.Fields(*emu), RAMMiB: *ram,
					Kernel: filepath.Join(*guests, k+".vmlinuz"),
					Initrd: filepath.Join(*guests, "initrd.gz"),
				}
				r := bootOnce(b, *limit, *tailLines)
				mu.Lock()
				if r.err != nil {
					failed = append(failed, i+1)
					fmt.Printf("FAIL boot %d/%d %s: %v\n%s\n", i+1, *n, k, r.err, r.report)
				} else {
					slowest = max(slowest, r.total)
					fmt.Printf("ok   boot %d/%d %s: shell %.1f s, exit %.1f s\n", i+1, *n, k, r.shell.Seconds(), r.total.Seconds())
				}
				mu.Unlock()
			}
		}()
	}
	for i := range *n {
		next <- i
	}
	close(next)
	wg.Wait()
	fmt.Printf("soak: %d of %d boots passed in %v (%d at a time, slowest %.1f s, limit %v)\n",
		*n-len(failed), *n, time.Since(start).Round(time.Second), *jobs, slowest.Seconds(), *limit)
	if len(failed) > 0 {
		fmt.Printf("soak: failed boots: %v\n", failed)
		os.Exit(1)
	}
}

type result struct {
	shell, total time.Duration
	err          error
	report       string // console tail (with the emulator's state dump) on failure
}

// bootOnce boots b to the shell and powers it off within limit.
func bootOnce(b guest.Boot, limit time.Duration, tailLines int) result {
	s, err := guest.Start(b, nil)
	if err != nil {
		return result{err: err}
	}
	defer s.Kill()
	var r result
	r.shell, r.err = s.WaitShell(context.Background(), limit)
	if r.err == nil {
		r.err = s.Send("poweroff -f\n")
	}
	if r.err == nil {
		var code int
		code, r.err = s.Wait(max(limit-s.Elapsed(), time.Second))
		if r.err == nil && code != 0 {
			r.err = fmt.Errorf("the emulator exited with status %d", code)
		}
	}
	r.total = s.Elapsed()
	if r.err == nil {
		if c := guest.Complaints(s.Output()); len(c) > 0 {
			r.err = fmt.Errorf("the kernel complained: %s", strings.Join(c, " | "))
		}
	}
	if r.err != nil {
		// Ask Mimic for its state (SIGQUIT prints CPU, timers and GIC
		// before it exits), then show the end of the console.
		before := len(s.Output())
		if s.Signal(syscall.SIGQUIT) == nil {
			s.Wait(5 * time.Second)
		}
		out := s.Output()
		r.report = "  console, last lines:\n" + tail(out[:before], tailLines)
		if state := stateDump(out[before:]); state != "" {
			r.report += "\n  emulator state (SIGQUIT):\n" + tail(state, 100)
		}
	}
	return r
}

// stateDump returns Mimic's SIGQUIT output up to Go's goroutine dump.
func stateDump(out string) string {
	i := strings.Index(out, "mimic: SIGQUIT")
	if i < 0 {
		return ""
	}
	out = out[i:]
	if j := strings.Index(out, "\ngoroutine "); j >= 0 {
		out = out[:j]
	}
	return out
}

// tail returns the last n lines of text, indented.
func tail(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    | " + strings.Join(lines, "\n    | ")
}

// pickKernels returns the kernels to boot: those named, or every kernel
// in dir's manifest ("name package [version]" lines; busybox is not one).
func pickKernels(dir, names string) ([]string, error) {
	if names != "" {
		return strings.Split(names, ","), nil
	}
	f, err := os.Open(filepath.Join(dir, "manifest"))
	if err != nil {
		return nil, fmt.Errorf("no guests (%v): run scripts/fetch-guests.sh", err)
	}
	defer f.Close()
	var ks []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) >= 2 && strings.HasPrefix(fs[1], "linux-image-") {
			ks = append(ks, fs[0])
		}
	}
	if len(ks) == 0 {
		return nil, fmt.Errorf("no kernels in %s/manifest", dir)
	}
	return ks, nil
}
