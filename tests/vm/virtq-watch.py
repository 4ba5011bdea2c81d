#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Resume a virtio-9p transport that lost a notification: run by nook-vm beside the guest.

usage: virtq-watch.py MONITOR_SOCKET EVENTS_FILE [PERIOD_S]

The guest's root is the host's, over virtio-9p. Under TCG the transport has been seen (about
once in several hundred fault-injection trials) to stop for good: the guest had queued
requests (its avail index ahead) and waited for them, while QEMU had seen none of them (its
last_avail_idx behind, nothing in use) and idled, the guest's notification lost. Every process
that touched the root then waited in p9_client_rpc, unkillable, and the guest stood still
until its timeout. QEMU takes another look at a queue when the VM is stopped and continued.

Every PERIOD_S (10) seconds this compares, for each virtio-9p device, the avail index in
guest memory with QEMU's; a queue whose guest side stood ahead, unchanged, with nothing in
use, in two looks in a row, is resumed by `stop` and `cont` on QEMU's human monitor, and a
line saying so is appended to EVENTS_FILE (which the guest's campaign runner reads: a trial
it ran across is the rig's failure, not nook's). It connects to the monitor only for each look,
so that guest-state.py can connect too.
"""
import re
import socket
import sys
import time


def monitor(path, *cmds):
    """Run human-monitor commands; their outputs (the echo and prompt stripped)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)

    def read():
        data = b""
        deadline = time.monotonic() + 10
        while not data.endswith(b"(qemu) ") and time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", data.decode(errors="replace"))
        return text.replace("(qemu) ", "")

    out = []
    with s:
        read()
        for c in cmds:
            s.sendall(c.encode() + b"\n")
            text = read()
            # the monitor echoes what it is sent as it is typed: drop that line
            out.append(text.split("\n", 1)[1] if "\n" in text else "")
    return out


def field(text, name):
    m = re.search(r"^\s*%s:\s+(\S+)" % re.escape(name), text, re.M)
    return m.group(1) if m else None


def look(path):
    """Per virtio-9p queue: (QEMU's last_avail_idx, in use, the guest's avail idx)."""
    devs = re.findall(r"^(\S+) \[virtio-9p\]", monitor(path, "info virtio")[0], re.M)
    seen = {}
    for dev in devs:
        st = monitor(path, "info virtio-queue-status %s 0" % dev)[0]
        last, inuse, avail = field(st, "last_avail_idx"), field(st, "inuse"), field(st, "avail")
        if last is None or inuse is None or avail is None:
            continue
        xp = monitor(path, "xp /2hx %s" % avail)[0]
        m = re.search(r":\s+0x[0-9a-f]+\s+0x([0-9a-f]+)", xp)
        if m:
            seen[dev] = (int(last), int(inuse), int(m.group(1), 16))
    return seen


def main():
    path, events = sys.argv[1], sys.argv[2]
    period = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
    before = {}
    while True:
        time.sleep(period)
        try:
            now = look(path)
        except OSError:
            continue  # QEMU not up yet, or gone
        for dev, (last, inuse, avail) in now.items():
            behind = (avail - last) % 65536
            stuck = behind and not inuse and before.get(dev) == (last, inuse, avail)
            if not stuck:
                continue
            try:
                monitor(path, "stop", "cont")
            except OSError:
                continue
            after = look(path).get(dev)
            with open(events, "a") as f:
                f.write("%d %s: the guest had queued %d request(s) QEMU had not seen, for "
                        "%.0f s or more (a lost notification); stop/cont resumed it "
                        "(QEMU's index %d, now %s)\n"
                        % (time.time(), dev, behind, period, last,
                           after[0] if after else "unknown"))
            now = {}
            break
        before = now


if __name__ == "__main__":
    main()
