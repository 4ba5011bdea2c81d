#!/usr/bin/env python3
# sprof-report.py FILE [TOP]: what a driver program spent its CPU time on, from what
# tests/bench/sprof (preloaded into it) wrote to FILE. Prints the time inside each kind of
# system call as a share of the process's CPU time; then the functions the samples fell in
# (self), the functions on the stack when they fell (total, up to the depth sprof takes),
# and the commonest call chains, each as a share of all samples. Addresses are resolved with
# addr2line, one call per object, against the files the program had mapped (this machine's
# copies: run it where the program ran, or where the same files are).
import collections
import subprocess
import sys


def load(path):
    maps, samples, calls, cpu_ns = [], [], [], 0
    with open(path) as f:
        for line in f:
            if line.startswith("M "):
                p = line.split()
                if len(p) >= 6 and "x" in p[2]:
                    lo, hi = (int(x, 16) for x in p[1].split("-"))
                    maps.append((lo, hi, int(p[3], 16), p[6] if len(p) > 6 else "[anon]"))
            elif line.startswith("S"):
                samples.append([int(x, 16) for x in line.split()[1:]])
            elif line.startswith("C "):
                _, name, n, ns = line.split()
                calls.append((name, int(n), int(ns)))
            elif line.startswith("T "):
                cpu_ns = int(line.split()[1])
    return maps, samples, calls, cpu_ns


def resolve(maps, addrs):
    """{address: "function@object"} for every address, with one addr2line run per object."""
    per_obj = collections.defaultdict(dict)
    names = {}
    for a in addrs:
        for lo, hi, off, obj in maps:
            if lo <= a < hi:
                if obj.startswith("/"):
                    per_obj[obj][a] = a - lo + off
                else:
                    names[a] = obj  # [vdso], [heap], ...
                break
        else:
            names[a] = "?"
    for obj, offs in per_obj.items():
        order = list(offs)
        r = subprocess.run(["addr2line", "-f", "-e", obj] + [hex(offs[a]) for a in order],
                           capture_output=True, text=True)
        out = r.stdout.split("\n")
        short = obj.rsplit("/", 1)[-1]
        for i, a in enumerate(order):
            fn = out[2 * i] if 2 * i < len(out) and out[2 * i] not in ("", "??") else "?"
            names[a] = f"{fn}@{short}"
    return names


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: sprof-report.py FILE [TOP]")
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    maps, samples, calls, cpu_ns = load(sys.argv[1])
    # Frames 0 and 1 are sprof's handler and the signal trampoline. A return address points
    # past its call: look one byte back for the caller's line.
    chains = [[s[2]] + [a - 1 for a in s[3:]] for s in samples if len(s) > 2]
    if not chains:
        sys.exit(f"sprof-report: no samples in {sys.argv[1]}")
    names = resolve(maps, {a for c in chains for a in c})
    self_, total, stacks = collections.Counter(), collections.Counter(), collections.Counter()
    for c in chains:
        fns = [names[a] for a in c]
        self_[fns[0]] += 1
        total.update(set(fns))
        stacks[" < ".join(fns[:4])] += 1
    n = len(chains)
    if cpu_ns:
        print(f"system calls (time inside them, of {cpu_ns / 1e9:.2f} s of CPU time):")
        for name, count, ns in sorted(calls, key=lambda c: -c[2]):
            if count:
                print(f"{100 * ns / cpu_ns:5.1f}% {name}: {count} calls, {ns / count / 1e3:.1f} us each")
    print(f"{n} samples")
    for title, counter in (("self", self_), ("total", total), ("call chains", stacks)):
        print(f"--- {title}")
        for k, v in counter.most_common(top):
            print(f"{100 * v / n:5.1f}% {k}")


main()
