#!/usr/bin/env python3
"""wav-tones.py WAV EXPECT...: check the tones QEMU recorded from a sound card.

Each EXPECT is FREQ:SECONDS[:quieter] for one tone, in the order played; tones are told
apart by the silence between them. A tone passes when its length is within 5% (plus a
period either way), its frequency within 2% (zero crossings), and, for a tone marked
'quieter', its peak is below 80% of the first tone's (a mixer change took effect).
Prints one TAP line per check; exits 1 if any failed.
"""
import struct
import sys


def read_wav(path):
    data = open(path, 'rb').read()
    fmt = data.find(b'fmt ')
    channels, rate = struct.unpack_from('<HI', data, fmt + 10)
    bits = struct.unpack_from('<H', data, fmt + 22)[0]
    if bits != 16:
        raise SystemExit(f'{path}: {bits}-bit samples; expected 16')
    # QEMU writes the data size at exit: take what is there, whole frames only.
    pcm = data[data.find(b'data') + 8:]
    frames = len(pcm) // (2 * channels)
    left = struct.unpack_from(f'<{frames * channels}h', pcm)[::channels]
    return rate, left


def tones(samples, rate, quiet=200, gap_s=0.05):
    """(start, end) of each stretch of sound separated by at least gap_s of silence."""
    out, start, last = [], None, None
    gap = int(gap_s * rate)
    for i, v in enumerate(samples):
        if abs(v) > quiet:
            if start is None:
                start = i
            elif i - last > gap:
                out.append((start, last + 1))
                start = i
            last = i
    if start is not None:
        out.append((start, last + 1))
    return [t for t in out if t[1] - t[0] > rate // 20]


def main():
    path, expects = sys.argv[1], sys.argv[2:]
    rate, samples = read_wav(path)
    found = tones(samples, rate)
    failed = 0

    def check(ok, what):
        nonlocal failed
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} - {path.split('/')[-1]}: {what}")

    check(len(found) == len(expects), f'{len(expects)} tones recorded (found {len(found)})')
    first_peak = None
    for n, (exp, (a, b)) in enumerate(zip(expects, found)):
        parts = exp.split(':')
        freq, secs = float(parts[0]), float(parts[1])
        seg = samples[a:b]
        dur = len(seg) / rate
        crossings = sum(1 for x, y in zip(seg, seg[1:]) if x < 0 <= y)
        got = crossings / dur
        peak = max(abs(v) for v in seg)
        first_peak = first_peak or peak
        check(abs(dur - secs) <= secs * 0.05 + 0.1, f'tone {n + 1}: {dur:.3f} s (expected {secs} s)')
        check(abs(got - freq) <= freq * 0.02, f'tone {n + 1}: {got:.1f} Hz (expected {freq} Hz)')
        if len(parts) > 2 and parts[2] == 'quieter':
            check(peak < first_peak * 0.8,
                  f'tone {n + 1}: peak {peak} below 80% of the first tone\'s {first_peak} (mixer)')
        else:
            check(peak > 8000, f'tone {n + 1}: peak {peak} (a half-scale tone is 16384)')
    sys.exit(1 if failed else 0)


main()
