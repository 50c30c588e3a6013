#!/usr/bin/env python3
"""Re-records the pflash transcripts against qemu-system-arm.

Usage: record.py TRANSCRIPT...   (each file is rewritten in place)

A transcript drives flash bank 1 of QEMU's virt board (0x04000000) from a
guest program, replay.S, run as -bios from bank 0. Lines:

  @image base|zero   bank 1 contents: the base image (see base_image) on a
                     writable raw drive, or zeros with no drive
  @readonly          the drive is read-only (readonly=on)
  w32|w16|w8 ADDR VALUE
  r32|r16|r8 ADDR [= RESULT]
  file OFFSET LENGTH [= HEX]   the drive image's bytes after the run

Everything after '#' is a comment. Results are replaced by what QEMU
returns. Needs qemu-system-arm and binutils-arm-none-eabi (Debian).
"""
import os, struct, subprocess, sys, tempfile, time

KINDS = {'w32': 1, 'w16': 2, 'w8': 3, 'r32': 4, 'r16': 5, 'r8': 6}
HERE = os.path.dirname(os.path.abspath(__file__))


def base_image():
    # Same as baseImage in pflash_test.go.
    d = bytearray(b'\x5a' * (64 << 20))
    for i in range(0x2000):
        d[i] = (i * 7 + 3) & 0xff
    return d


def build(tmp):
    src = os.path.join(HERE, 'replay.S')
    obj, elf, binf = (os.path.join(tmp, n) for n in ('replay.o', 'replay.elf', 'replay.bin'))
    subprocess.check_call(['arm-none-eabi-as', '-o', obj, src])
    subprocess.check_call(['arm-none-eabi-ld', '-Ttext=0', '-o', elf, obj])
    subprocess.check_call(['arm-none-eabi-objcopy', '-O', 'binary', elf, binf])
    return binf


def record(path, prog, tmp):
    lines = open(path).read().splitlines()
    image, readonly, ops, reads = 'zero', False, b'', []
    for i, line in enumerate(lines):
        f = line.split('#')[0].split('=')[0].split()
        if not f:
            continue
        if f[0] == '@image':
            image = f[1]
        elif f[0] == '@readonly':
            readonly = True
        elif f[0] in KINDS:
            k = KINDS[f[0]]
            ops += struct.pack('<III', k, int(f[1], 0), int(f[2], 0) if k < 4 else 0)
            if k >= 4:
                reads.append(i)
    ops += struct.pack('<III', 0, 0, 0)
    opsf, outf, img = (os.path.join(tmp, n) for n in ('ops.bin', 'out.bin', 'bank1.img'))
    open(opsf, 'wb').write(ops)
    cmd = ['qemu-system-arm', '-M', 'virt', '-cpu', 'cortex-a15', '-bios', prog,
           '-display', 'none', '-serial', 'none', '-monitor', 'stdio',
           '-device', 'loader,file=%s,addr=0x40200000,force-raw=on' % opsf]
    if image == 'base':
        open(img, 'wb').write(base_image())
        cmd += ['-drive', 'if=pflash,unit=1,format=raw,file=%s%s' % (img, ',readonly=on' if readonly else '')]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(1.5)
    msg, _ = p.communicate(b'pmemsave 0x40100000 0x10000 "%s"\nquit\n' % outf.encode(), timeout=30)
    if not os.path.exists(outf):
        sys.exit('%s: qemu failed:\n%s' % (path, msg.decode(errors='replace')))
    out = open(outf, 'rb').read()
    if struct.unpack_from('<I', out, 4 * len(reads))[0] != 0xd0d0d0d0:
        sys.exit('%s: the replay program did not finish' % path)
    for n, i in enumerate(reads):
        v = struct.unpack_from('<I', out, 4 * n)[0]
        code, _, comment = lines[i].partition('#')
        code = code.split('=')[0].rstrip()
        lines[i] = '%s = %#x' % (code, v) + ('  #' + comment if comment else '')
    for i, line in enumerate(lines):
        f = line.split('#')[0].split('=')[0].split()
        if f and f[0] == 'file':
            off, n = int(f[1], 0), int(f[2], 0)
            data = open(img, 'rb').read()[off:off + n] if image == 'base' else b''
            code, _, comment = line.partition('#')
            code = code.split('=')[0].rstrip()
            lines[i] = '%s = %s' % (code, data.hex()) + ('  #' + comment if comment else '')
    ver = subprocess.check_output(['qemu-system-arm', '--version']).decode().splitlines()[0]
    lines = [l for l in lines if not l.startswith('# recorded with')]
    open(path, 'w').write('# recorded with %s\n' % ver + '\n'.join(lines) + '\n')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        prog = build(tmp)
        for path in sys.argv[1:]:
            record(path, prog, tmp)


if __name__ == '__main__':
    main()
