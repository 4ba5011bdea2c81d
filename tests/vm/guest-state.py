#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""What a stuck guest is doing, from QEMU's human monitor: run by nook-vm before it kills a
guest that ran past its timeout, so that a hang leaves more than a silent console.

usage: guest-state.py MONITOR_SOCKET [SYSTEM_MAP]

Prints whether the vCPUs run, each vCPU's registers, and for each vCPU the kernel functions
its instruction pointer and the return addresses on its stack fall in (a crude backtrace:
stack words that point into kernel text), named from SYSTEM_MAP. The guest runs without
KASLR (nook-vm boots it with nokaslr), so System.map's addresses are the running ones.

Then it presses SysRq on the guest's keyboard: 9 (every message to the console) and w (the
blocked tasks and their stacks), so that a guest whose vCPUs idle while its tasks wait (on
the 9p root, a lock, a device) says on its console which tasks wait and where. nook-vm
boots the guest with sysrq_always_enabled.
"""
import bisect
import re
import socket
import sys
import time


class Monitor:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect(path)
        self.read_until_prompt()

    def read_until_prompt(self):
        data = b""
        deadline = time.monotonic() + 10
        while not data.endswith(b"(qemu) ") and time.monotonic() < deadline:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
        text = data.decode(errors="replace").replace("\r", "")
        # The monitor echoes the command with terminal escapes: keep what follows it.
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
        return text.rsplit("(qemu) ", 1)[0]

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\n")
        out = self.read_until_prompt()
        return out.split("\n", 1)[1] if "\n" in out else ""


def load_symbols(path):
    addrs, names = [], []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[1] in "tTwW":
                    addrs.append(int(parts[0], 16))
                    names.append(parts[2])
    except OSError as e:
        print(f"guest-state: no kernel symbols ({e})")
    order = sorted(range(len(addrs)), key=addrs.__getitem__)
    return [addrs[i] for i in order], [names[i] for i in order]


def symbolize(addr, addrs, names):
    i = bisect.bisect_right(addrs, addr) - 1
    if i < 0 or addr - addrs[i] > 0x100000:
        return None
    return f"{names[i]}+{addr - addrs[i]:#x}"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    mon = Monitor(sys.argv[1])
    addrs, names = load_symbols(sys.argv[2]) if len(sys.argv) > 2 else ([], [])
    print(mon.cmd("info status").strip())
    cpus = mon.cmd("info cpus")
    print(cpus.rstrip())
    for idx in re.findall(r"CPU #(\d+)", cpus):
        mon.cmd(f"cpu {idx}")
        regs = mon.cmd("info registers")
        print(f"--- vCPU {idx}")
        print(regs.rstrip())
        rip = re.search(r"RIP=([0-9a-f]+)", regs)
        rsp = re.search(r"RSP=([0-9a-f]+)", regs)
        if not addrs or not rip:
            continue
        where = symbolize(int(rip.group(1), 16), addrs, names)
        print(f"vCPU {idx} runs in {where or 'user space or unknown code'}")
        if not where or not rsp:
            continue
        words = re.findall(r"0x([0-9a-f]{16})", mon.cmd(f"x/96gx 0x{rsp.group(1)}"))
        chain = [s for s in (symbolize(int(w, 16), addrs, names) for w in words
                             if w.startswith("ffffffff8")) if s]
        print(f"vCPU {idx} stack: " + " < ".join(chain[:24]))
    for key in ("9", "w"):
        mon.cmd(f"sendkey alt-sysrq-{key}")
        time.sleep(0.5)
    print("guest-state: SysRq 9 and w sent: the blocked tasks follow on the console")


if __name__ == "__main__":
    main()
