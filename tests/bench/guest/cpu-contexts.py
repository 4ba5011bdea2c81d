#!/usr/bin/env python3
# Where each CPU's time went, by context, from an ftrace text trace of the sched_switch,
# irq_handler_entry/exit and softirq_entry/exit events: hard interrupts by handler name,
# softirqs by vector, otherwise the running task by name (digits dropped, so ksoftirqd/0 and
# ksoftirqd/1 add up), or idle. It is what /proc/stat cannot tell in a guest kernel without
# IRQ time accounting: there a task's time includes the interrupts and softirqs run on top of
# it. Used by nic-profile.sh; by hand: cpu-contexts.py TRACE [LINES].
import collections
import re
import sys

EVENT = re.compile(r"^\s*(.+?)-(\d+)\s+\[(\d+)\]\s+\S+\s+([\d.]+): (\w+): (.*)$")


def task_name(comm, pid):
    return "idle" if pid == "0" else comm.split("/")[0]


def contexts(lines):
    spent = collections.Counter()
    cpus = {}  # cpu -> [task, [interrupt contexts], last timestamp]
    first = last = None
    for line in lines:
        m = EVENT.match(line)
        if not m:
            continue
        comm, pid, cpu, t, event, rest = m.groups()
        t = float(t)
        first = t if first is None else first
        last = t
        state = cpus.setdefault(cpu, [task_name(comm, pid), [], t])
        where = state[1][-1] if state[1] else ("task", state[0])
        spent[cpu, where] += t - state[2]
        state[2] = t
        if event == "irq_handler_entry":
            state[1].append(("hardirq", re.search(r"name=(\S+)", rest).group(1)))
        elif event == "softirq_entry":
            # A softirq never nests in another: an exit the trace lost ends the old one here.
            state[1] = [c for c in state[1] if c[0] != "softirq"]
            state[1].append(("softirq", re.search(r"action=(\w+)", rest).group(1)))
        elif event in ("irq_handler_exit", "softirq_exit"):
            kind = "hardirq" if event == "irq_handler_exit" else "softirq"
            while state[1] and state[1].pop()[0] != kind:
                pass
        elif event == "sched_switch":
            # No task switch happens inside an interrupt: whatever was open has ended.
            state[1] = []
            m2 = re.search(r"next_comm=(.+) next_pid=(\d+)", rest)
            state[0] = task_name(m2.group(1), m2.group(2))
    return spent, (last - first if first is not None else 0.0), sorted(cpus, key=int)


def main():
    spent, span, cpus = contexts(open(sys.argv[1], errors="replace"))
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    if span <= 0:
        print("  cpu by context: the trace is empty")
        return
    print(f"  cpu by context ({span * 1000:.0f} ms traced; % of each CPU's time):")
    for cpu in cpus:
        mine = collections.Counter({c: t for (k, c), t in spent.items() if k == cpu})
        print(f"    cpu{int(cpu)}: " + ", ".join(f"{name} ({kind}) {100 * t / span:.0f}%"
                                        if kind != "task" else f"{name} {100 * t / span:.0f}%"
                                        for (kind, name), t in mine.most_common(top)))


main()
