#!/usr/bin/env bash
# bench-desktop.sh — the desktop's figures. A benchmark, not a test.
#
# 1. The graphical demo (roms/gdemo) in real time for 10 s (600 frames at
#    60 per second) with virtio-gpu at 1280x800, keyboard and tablet,
#    headless, on Mimic and, when installed, on QEMU (7.2 has no
#    virtio-sound, so neither run has one): frames shown and skipped (the
#    demo counts them) and the host CPU time each emulator used, with the
#    ratio (>1: Mimic used more).
# 2. The cost of one full-screen update through virtio-gpu to the display
#    console (Go benchmark; the target is < 2 ms).
# 3. Keyboard-to-screen latency in Debian's console (target < 50 ms):
#    trixie's kernel with the busybox initramfs (scripts/fetch-guests.sh)
#    in real time on virtio-gpu with fbcon and a virtio keyboard; once
#    its shell runs on tty1, --input-script types 20 letters into it, and
#    --stats gives the host time from each key reaching the keyboard to
#    the next flush that changed the screen (count, median, max).
# 4. The window against headless, with the SDL build (built here unless
#    MIMIC_SDL names one; under Xvfb when there is no $DISPLAY): peak RSS
#    of the demo in real time (target: within 64 MiB of headless), and the
#    demo as a CPU benchmark (-icount shift=0,sleep=off: it runs as fast
#    as it can, drawing all the while) headless and with the window
#    animating (target: less than 5 % slower). Medians of RUNS runs
#    (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
MIMIC=${MIMIC:-bin/mimic}
QEMU=${QEMU-$(command -v qemu-system-arm || true)}
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go
elf=roms/gdemo/gdemo.elf
devs="-device virtio-gpu-device -device virtio-keyboard-device -device virtio-tablet-device"
RUNS=${RUNS:-3}
tmp=$(mktemp -d)
xvfb=
trap '[ -z "$xvfb" ] || kill "$xvfb" 2>/dev/null || true; rm -rf "$tmp"' EXIT

median() { # numbers on stdin, one a line -> their median, or -
	sort -n | awk '{a[NR]=$1} END{if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

run() { # run NAME COMMAND... -> "shown skipped cpu_seconds wall_seconds"
	local name=$1
	shift
	local TIMEFORMAT='%R %U %S'
	{ time "$@" </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"; } 2>"$tmp/$name.time" || true
	local shown skipped
	shown=$(sed -n 's/.*frames shown \([0-9]*\).*/\1/p' "$tmp/$name.out")
	skipped=$(sed -n 's/.*skipped \([0-9]*\).*/\1/p' "$tmp/$name.out")
	read -r real user sys <"$tmp/$name.time"
	echo "${shown:--} ${skipped:--} $(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}') $real"
}
# shellcheck disable=SC2086
read -r ms mk mc mw <<<"$(run mimic "$MIMIC" -M virt -m 256 -semihosting -nographic -nic none -kernel "$elf" -append frames=600 $devs)"
qs=- qk=- qc=- qw=-
if [ -n "$QEMU" ]; then
	# shellcheck disable=SC2086
	read -r qs qk qc qw <<<"$(run qemu "$QEMU" -M virt -cpu cortex-a15 -m 256 -semihosting -display none -nic none \
		-global virtio-mmio.force-legacy=false -kernel "$elf" -append frames=600 $devs -serial stdio -monitor none)"
fi
ratio=$(awk -v a="$mc" -v b="$qc" 'BEGIN{ if (b != "-" && b > 0) printf "%.2f", a/b; else print "-" }')
printf '%-8s %7s %8s %8s %7s\n' emu shown skipped cpu_s wall_s
printf '%-8s %7s %8s %8s %7s\n' mimic "$ms" "$mk" "$mc" "$mw" qemu "$qs" "$qk" "$qc" "$qw"
echo "(600 frames of the demo in real time; cpu_s: host CPU seconds; Mimic/QEMU CPU: $ratio)"
"$GO" test -run '^$' -bench FullScreenUpdate -benchtime 200x ./devices/virtio/gpu/ | awk '/^Benchmark/ {printf "full-screen 1280x800 update (transfer, flush, take): %.2f ms\n", $3/1e6}'

# 3. Keyboard to screen in Debian's console.
echo
guests=${MIMIC_LINUX_GUESTS:-.cache/guests}
kernel=$guests/trixie-armmp.vmlinuz
start=${LATENCY_START:-25} # s after power-on when typing starts (the shell is up in ~11 s)
if [ ! -f "$kernel" ] || [ ! -f "$guests/initrd.gz" ]; then
	echo "keyboard-to-screen latency: no $kernel (scripts/fetch-guests.sh)"
else
	for i in $(seq 0 19); do # 20 letters, a to t, 250 ms apart
		printf '%dms key %b\n' $((start * 1000 + i * 250)) "\\x$(printf %x $((97 + i)))"
	done >"$tmp/keys.txt"
	mkfifo "$tmp/serial"
	"$MIMIC" -M virt -m 512 -kernel "$kernel" -initrd "$guests/initrd.gz" -append console=ttyAMA0 -nographic -nic none \
		-global virtio-mmio.force-legacy=false -device virtio-gpu-device -device virtio-keyboard-device \
		--input-script "$tmp/keys.txt" --stats <"$tmp/serial" >"$tmp/lat.out" 2>&1 &
	pid=$!
	exec 3>"$tmp/serial"
	t0=$(date +%s)
	waitfor() { # waitfor TEXT SECONDS: until the console shows TEXT
		local end=$(($(date +%s) + $2))
		until grep -q "$1" "$tmp/lat.out"; do
			kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$end" ] || return 1
			sleep 0.2
		done
	}
	note=
	if waitfor MIMIC-INITRAMFS-READY 120; then
		# The drivers, a shell on tty1 (fbcon's), and no cursor blink
		# (its flushes would answer keys the guest ignored).
		echo "desktop-up; (setsid sh -c 'exec sh </dev/tty1 >/dev/tty1 2>&1' &); echo 0 >/sys/class/graphics/fbcon/cursor_blink; echo SET''UP-DONE" >&3
		waitfor SETUP-DONE 120 || true
		up=$(($(date +%s) - t0))
		[ "$up" -lt "$start" ] || note=" (the shell was up only after $up s, typing began at $start s: raise LATENCY_START)"
		left=$((t0 + start + 8 - $(date +%s)))
		[ "$left" -le 0 ] || sleep "$left"
		echo "poweroff -f" >&3
	else
		note=" (no shell within 120 s)"
	fi
	exec 3>&-
	( sleep 30; kill "$pid" 2>/dev/null ) &
	killer=$!
	wait "$pid" || true
	kill "$killer" 2>/dev/null || true
	lat=$(sed -n 's/.*input-to-screen latency: \(n=[0-9]* median [0-9.]* ms max [0-9.]* ms\).*/\1/p' "$tmp/lat.out")
	echo "keyboard-to-screen latency, Debian console (trixie, fbcon on virtio-gpu, real time): ${lat:-none measured}$note"
	echo "(host time from a key at the virtio keyboard to the next screen flush; QEMU not measured: it has no such hook)"
fi

# 4. The window against headless: memory and CPU.
echo
SDLBIN=${MIMIC_SDL:-}
if [ -z "$SDLBIN" ] && CGO_ENABLED=1 "$GO" build -tags sdl -o "$tmp/mimic-sdl" ./cmd/mimic 2>"$tmp/sdl-build.err"; then
	SDLBIN=$tmp/mimic-sdl
fi
if [ -z "$SDLBIN" ]; then
	echo "window: no SDL build (make build-sdl; needs libsdl2-dev): skipped"
	exit 0
fi
if [ -z "${DISPLAY:-}" ]; then
	command -v Xvfb >/dev/null || scripts/apt-install.sh xvfb
	n=$((60 + RANDOM % 30))
	Xvfb ":$n" -screen 0 1600x1000x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
	xvfb=$!
	for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
	export DISPLAY=:$n
fi
export SDL_AUDIODRIVER=dummy
win() { # win DISPLAY FRAMES [EXTRA...] -> the --stats lines of one demo run, and "cpu_s S"
	local disp=$1 frames=$2 TIMEFORMAT='%U %S'
	shift 2
	# shellcheck disable=SC2086
	{ time "$SDLBIN" -M virt -m 256 -semihosting -nic none -kernel "$elf" -append "frames=$frames" $devs \
		-display "$disp" --stats "$@" >/dev/null 2>"$tmp/win.err" </dev/null; } 2>"$tmp/win.time" || true
	cat "$tmp/win.err"
	awk '{printf "cpu_s %.2f\n", $1+$2}' "$tmp/win.time"
}
rss() { sed -n 's/.*peak RSS \([0-9]*\) MiB.*/\1/p'; }
mips() { sed -n 's/.* \([0-9.]*\) MIPS.*/\1/p'; }
cpus() { sed -n 's/^cpu_s //p'; }
for f in rss.none rss.sdl mips.none mips.sdl cpu.none cpu.sdl; do : >"$tmp/$f"; done
renderer=
for _ in $(seq "$RUNS"); do
	win none 300 | rss >>"$tmp/rss.none"
	out=$(win sdl 300)
	rss <<<"$out" >>"$tmp/rss.sdl"
	renderer=$(sed -n 's/.*SDL renderer: //p' <<<"$out")
	for d in none sdl; do
		out=$(win $d 2000 -icount shift=0,sleep=off)
		mips <<<"$out" >>"$tmp/mips.$d"
		cpus <<<"$out" >>"$tmp/cpu.$d"
	done
done
gl=$(SDL_RENDER_DRIVER=opengl win sdl 300 | rss)
rn=$(median <"$tmp/rss.none") rs=$(median <"$tmp/rss.sdl")
mn=$(median <"$tmp/mips.none") ms=$(median <"$tmp/mips.sdl")
cn=$(median <"$tmp/cpu.none") cs=$(median <"$tmp/cpu.sdl")
echo "window (SDL renderer: ${renderer:-?}; medians of $RUNS runs; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs):"
echo "  peak RSS, demo 1280x800 in real time: headless $rn MiB, window $rs MiB (+$((rs - rn)) MiB; target < +64), window with SDL_RENDER_DRIVER=opengl ${gl:--} MiB"
awk -v a="$mn" -v b="$ms" -v c="$cn" -v d="$cs" 'BEGIN{printf "  CPU benchmark (demo with -icount shift=0,sleep=off, 2000 frames): headless %s MIPS, window animating %s MIPS (%.1f %% slower; target < 5 %%); process CPU %s s vs %s s\n", a, b, (1-b/a)*100, c, d}'
echo "  (the window thread and the X server need a CPU of their own: on a loaded host the loss is theirs)"
