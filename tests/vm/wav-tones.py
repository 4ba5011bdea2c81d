#!/usr/bin/env python3
"""wav-tones.py [--by-frequency] WAV EXPECT...: check the tones QEMU recorded from a sound card.

Each EXPECT is FREQ:SECONDS[:quieter] for one tone, in the order played; tones are told
apart by the silence between them. A tone passes when its length is within 5% (plus a
period either way), its frequency within 2% (zero crossings), and, for a tone marked
'quieter', its peak is below 80% of the first tone's (a mixer change took effect).

--by-frequency: the tones have frequencies of their own and need no silence between them
(QEMU records only while the card plays, so a driver's restart leaves no gap in the file).
Each 50 ms of the recording is given to the expected tone nearest its frequency; each tone
passes when none of it is missing (at least SECONDS less 2%) and no more than 2.5 s was
heard twice (a restarted stream replays what the card played after its last period, and a
hung driver's card goes round its buffer until the driver is stopped).

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


def by_frequency(path, samples, rate, expects, check):
    """The tones told apart by frequency (see the module's doc)."""
    tones = [(float(e.split(':')[0]), float(e.split(':')[1]), e.split(':')[2:]) for e in expects]
    win = rate // 20
    secs = [0.0] * len(tones)
    peaks = [0] * len(tones)
    other = 0.0
    for i in range(0, len(samples), win):
        seg = samples[i:i + win]  # the last may be shorter: the recording's end counts too
        peak = max(abs(v) for v in seg)
        # What sounds: all but runs of silence (a sine passes zero within a sample or two).
        sounding, run = len(seg), 0
        for v in seg:
            run = run + 1 if abs(v) <= 200 else 0
            if run == 32:
                sounding -= 32
            elif run > 32:
                sounding -= 1
        if sounding < min(win, len(seg)) // 5 or sounding < rate // 200:
            continue
        crossings = sum(1 for x, y in zip(seg, seg[1:]) if x < 0 <= y)
        freq = crossings * rate / sounding
        k = min(range(len(tones)), key=lambda j: abs(tones[j][0] - freq))
        if abs(tones[k][0] - freq) > tones[k][0] * 0.06:
            other += sounding / rate
            continue
        secs[k] += sounding / rate
        peaks[k] = max(peaks[k], peak)
    for k, (freq, want, marks) in enumerate(tones):
        check(want * 0.98 <= secs[k] <= want + 2.5,
              f'{freq:.0f} Hz tone: {secs[k]:.3f} s heard (played {want} s: none missing, '
              f'at most 2.5 s twice)')
        if marks and marks[0] == 'quieter':
            check(peaks[k] < peaks[0] * 0.8,
                  f'{freq:.0f} Hz tone: peak {peaks[k]} below 80% of the first tone\'s {peaks[0]} (mixer)')
        else:
            check(peaks[k] > 8000, f'{freq:.0f} Hz tone: peak {peaks[k]} (a half-scale tone is 16384)')
    check(other <= 0.5, f'{other:.2f} s of sound at none of the tones\' frequencies (at most 0.5 s)')


def main():
    args = [a for a in sys.argv[1:] if a != '--by-frequency']
    frequency_mode = len(args) < len(sys.argv) - 1
    path, expects = args[0], args[1:]
    rate, samples = read_wav(path)
    found = tones(samples, rate)
    failed = 0

    def check(ok, what):
        nonlocal failed
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} - {path.split('/')[-1]}: {what}")

    if frequency_mode:
        by_frequency(path, samples, rate, expects, check)
        sys.exit(1 if failed else 0)
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
