#!/usr/bin/env python3
"""The trials of a fault-injection campaign, run in the guest (campaign.sh sets the stage).

Each trial restarts the driver under test as a fresh incarnation with the faults that
nook-swifi plans from the trial's seed (nookctl inject --plan), runs the applications a user
would (a NIC: a paced TCP transfer hashed at both ends and a 20 Hz ping; a sound card: aplay
of a tone) while the faults may fire, and classifies what happened:

  not-activated     no planned fault reached its point in the driver
  no-effect         a fault fired, nothing failed, the device works, the applications too
  recovered         nook detected a failure and recovered; the applications did not notice
                    beyond a pause of at most 2 s
  recovered-impact  nook detected and recovered, but an application saw an error, lost or
                    corrupted data, or stood still for more than 2 s
  undetected        the device stopped working, or an application suffered, and nook did not
                    notice within 10 s
  host-harmed       the guest kernel logged an oops/BUG, nookd died, or the bystander nook
                    device was disturbed
  rig-error         the test rig failed under the trial (nook-vm had to resume the guest's
                    9p root, which lost a notification): it says nothing of nook

One JSON object per trial goes to --out (appended), with its seed, faults, timings and
evidence, so any trial can be run again alone (tests/fault/swifi --replay SEED).
"""
import argparse
import hashlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time

PEER_NS = "peer"
PEER_IP = "192.0.2.2"
IFNAME = "nook0"        # the NIC's interface (campaign.sh attaches it so)
SINK_PORT = 5400
RATE = 2 << 20          # the transfer's pace, bytes/s: steady load without hashing for long
STALL_MS = 2000         # a pause longer than this is an impact on the application
DETECT_S = 10           # an unnoticed broken device is "undetected" after this long
XFER_GRACE_S = 12       # a transfer may end this long after its window (retransmissions)
HOST_HARM = re.compile(r"Oops|BUG:|general protection|Call Trace|soft lockup|hung_task")
# The kernel's report of a user process's fatal trap ("traps: nook-driver-e10[649] general
# protection fault ip:... in libgcc_s.so.1"): the driver's own death, which the trial judges
# as a failure, not harm to the host.
USER_TRAP = re.compile(r"traps: \S+\[\d+\] ")

NOOKCTL = os.path.join(os.environ.get("NOOK_BUILD", ""), "ctl", "nookctl")


def sh(*args, timeout=30, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)


def status(bdf):
    r = sh(NOOKCTL, "status", bdf, "--json")
    return json.loads(r.stdout) if r.returncode == 0 else None


def recoveries_since(st, last_usec):
    """The recoveries nookd began after @last_usec (its log keeps the last 32: a count of
    them stops rising once it is full, their detection times do not)."""
    return [r for r in (st or {}).get("recoveries", []) if r["detected_usec"] > last_usec]


def last_detected(st):
    return max((r["detected_usec"] for r in (st or {}).get("recoveries", [])), default=0)


def wait_until(pred, secs, step=0.1):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return None


def trial_seed(campaign_seed, n):
    """splitmix64 of the campaign's seed and the trial's number."""
    z = (campaign_seed + 0x9E3779B97F4A7C15 * (n + 1)) & (2**64 - 1)
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
    return z ^ (z >> 31)


# --- the applications


class Transfer(threading.Thread):
    """A TCP transfer to the peer's sink, paced, for `secs` seconds; both ends hash it."""

    def __init__(self, secs, seed):
        super().__init__(daemon=True)
        self.secs, self.rnd = secs, random.Random(seed)
        self.result = {"ok": False, "bytes": 0, "error": None}

    def run(self):
        h, n = hashlib.sha256(), 0
        try:
            conn = socket.create_connection((PEER_IP, SINK_PORT), timeout=30)
            conn.settimeout(30)
            start = time.monotonic()
            while time.monotonic() - start < self.secs:
                b = self.rnd.randbytes(32 << 10)
                conn.sendall(b)
                h.update(b)
                n += len(b)
                ahead = n / RATE - (time.monotonic() - start)
                if ahead > 0:
                    time.sleep(ahead)
            conn.shutdown(socket.SHUT_WR)
            reply = b""
            while not reply.endswith(b"\n"):
                b = conn.recv(256)
                if not b:
                    break
                reply += b
            conn.close()
            got = reply.decode().split()
            self.result.update(bytes=n, peer=got)
            self.result["ok"] = got == [str(n), h.hexdigest()]
            if not self.result["ok"]:
                self.result["error"] = "the peer received %s, sent %d %s" % (got, n, h.hexdigest())
        except OSError as e:
            self.result.update(bytes=n, error=str(e))


def sink():
    """The peer's end: per connection, read to EOF, answer 'BYTES SHA256'."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("", SINK_PORT))
    srv.listen(4)
    while True:
        conn, _ = srv.accept()

        def serve(c):
            h, n = hashlib.sha256(), 0
            c.settimeout(60)
            try:
                while True:
                    b = c.recv(1 << 16)
                    if not b:
                        break
                    h.update(b)
                    n += len(b)
                c.sendall(("%d %s\n" % (n, h.hexdigest())).encode())
            except OSError:
                pass
            c.close()

        threading.Thread(target=serve, args=(conn,), daemon=True).start()


def wire_census(ifname, secs):
    """What an interface sends and hears for `secs`: frames by direction, kind and sender."""
    kinds = {0x0800: "IPv4", 0x0806: "ARP", 0x86DD: "IPv6"}
    seen = {}
    try:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
        s.bind((ifname, 0))
    except OSError as e:
        return ["no census: %s" % e]
    end = time.monotonic() + secs
    with s:
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                f, addr = s.recvfrom(128)
            except socket.timeout:
                break
            if len(f) < 14:
                continue
            way = "out" if addr[2] == socket.PACKET_OUTGOING else "in"
            dst = "broadcast" if f[0:6] == b"\xff" * 6 else (
                "multicast" if f[0] & 1 else "unicast")
            kind = kinds.get(int.from_bytes(f[12:14], "big"), "0x%04x" % int.from_bytes(f[12:14], "big"))
            key = "%s %s %s from %s" % (way, dst, kind, f[6:12].hex(":"))
            seen[key] = seen.get(key, 0) + 1
    return ["%d %s" % (n, k) for k, n in sorted(seen.items())]


def ping_stats(lines, t_from):
    """Answered pings after t_from (epoch s): count, and the longest silence between answers."""
    answered = []
    for line in lines:
        m = re.match(r"\[(\d+\.\d+)\] \d+ bytes from .*icmp_seq=(\d+)", line)
        if m and float(m.group(1)) >= t_from:
            answered.append(float(m.group(1)))
    gaps = [b - a for a, b in zip(answered, answered[1:])]
    return len(answered), int(1000 * max(gaps)) if gaps else None, answered


# --- one trial


class Campaign:
    def __init__(self, a):
        self.a = a
        self.net = a.driver not in ("ens1370", "intel8x0")
        self.window = a.window
        self.dmesg_seen = len(self.dmesg())
        st = status(a.bystander)
        self.bystander = (st["pid"], st["restarts"]) if st else None

    def dmesg(self):
        return sh("dmesg").stdout.splitlines()

    def plan(self, seed):
        if self.a.fault:
            cls = {"code": "code", "dev": "device"}.get(self.a.fault[0].split(":")[0], "iface")
            return {"class": cls, "faults": [{"spec": f, "description": "as given: " + f}
                                             for f in self.a.fault]}
        r = sh(self.a.planner, "plan", "--driver", self.a.binary, "--functions",
               self.a.functions, "--passes", self.a.passes, "--seed", str(seed), "--class",
               self.a.cls, "--count", str(self.a.count))
        if r.returncode != 0:
            raise SystemExit("nook-swifi: " + r.stderr.strip())
        return json.loads(r.stdout)

    def healthy(self):
        """The device runs and works: wait (bounded) for both; repair it if need be."""
        ok = wait_until(lambda: (status(self.a.device) or {}).get("state") == "running", 30)
        if ok and self.works(10):
            return True
        st = status(self.a.device) or {}
        if st.get("state") == "failed":
            sh(NOOKCTL, "reset-failed", self.a.device)
        else:
            sh(NOOKCTL, "restart", self.a.device)
        ok = wait_until(lambda: (status(self.a.device) or {}).get("state") == "running", 30)
        return bool(ok and self.works(15))

    def works(self, secs):
        if self.net:
            end = time.monotonic() + secs
            while time.monotonic() < end:
                if sh("ping", "-c", "1", "-W", "1", PEER_IP).returncode == 0:
                    return True
            return False
        # aplay plays a second to its end and says nothing (an underrun is sound lost; a card
        # whose pointer reads all ones "plays" a second in no time, through underruns)
        end = time.monotonic() + secs
        while True:
            r = self.play(1.0)
            if r["rc"] == 0 and not r["error"]:
                return True
            if time.monotonic() >= end:
                return False

    def play(self, secs, timeout=None):
        t0 = time.monotonic()
        try:
            r = sh("aplay", "-q", "-D", "nook:DEV=" + self.a.device, "-d", str(max(1, int(secs))),
                   self.a.tone, timeout=timeout or secs + 10)
            rc, err = r.returncode, r.stderr.strip()
        except subprocess.TimeoutExpired:
            rc, err = None, "aplay did not finish"
        return {"rc": rc, "ms": int(1000 * (time.monotonic() - t0)), "error": err}

    def rig_events(self):
        """What nook-vm's virtq-watch.py said so far: the 9p transports it had to resume."""
        try:
            with open(os.path.join(os.path.dirname(self.a.out), "rig-events.log")) as f:
                return f.read().splitlines()
        except OSError:
            return []

    def run_trial(self, n, seed):
        rec = {"trial": n, "seed": seed, "driver": self.a.driver}
        rig_before = len(self.rig_events())
        rec.update(self.judge(n, seed))
        rig = self.rig_events()[rig_before:]
        if rig:
            # The guest's root stood still under the trial: what it saw says nothing of nook.
            rec["rig"] = rig
            rec["outcome"] = "rig-error"
        return rec

    def judge(self, n, seed):
        rec = {}
        t_start = time.monotonic()
        plan = self.plan(seed)
        rec["class"] = plan["class"]
        rec["faults"] = plan["faults"]
        before = status(self.a.device)
        last = last_detected(before)
        specs = [f["spec"] for f in plan["faults"]]
        # The last trial's incarnation may fail late, after it was judged: its recovery
        # must end before this trial's restart can be asked for.
        for _ in range(3):
            r = sh(NOOKCTL, "inject", self.a.device, "--plan", *specs)
            if r.returncode == 0 or "is not running" not in r.stderr or not self.healthy():
                break
            before = status(self.a.device)
            last = last_detected(before)
        if r.returncode != 0:
            rec.update(outcome="error", error="inject: " + r.stderr.strip())
            return rec
        # The trial's incarnation: started once nookd's Fault names a new pid.
        st = wait_until(lambda: (lambda s: s if s and s["fault"]["plan"] == " ".join(specs)
                                 and s["fault"]["pid"] and s["fault"]["pid"] != before["pid"]
                                 else None)(status(self.a.device)), 20)
        trial_pid = st["fault"]["pid"] if st else 0
        # Let it take the device and carry traffic (an e1000's link takes 2.5 s), or fail
        # trying, before the load starts.
        def up_or_failed():
            s = status(self.a.device)
            if recoveries_since(s, last):
                return True
            return s["state"] == "running" and self.works(1)
        wait_until(up_or_failed, 15)
        rec["up_ms"] = int(1000 * (time.monotonic() - t_start))
        t_load = time.time()
        ping = None
        stalled = False  # a NIC's is the ping's, judged at the end
        if self.net:
            # The ping goes on until the trial is judged: a user's traffic keeps flowing
            # while a broken device waits to be noticed, and the detectors see it.
            ping = subprocess.Popen(["ping", "-D", "-i", "0.05", "-W", "1", PEER_IP],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            xfer = Transfer(self.window, seed)
            xfer.start()
            # TCP's retransmissions pick a transfer up within seconds of a recovery (an
            # e1000's link takes 2.5 s to come back): one still going after this is stuck.
            xfer.join(self.window + XFER_GRACE_S)
            app = dict(xfer.result)
            if xfer.is_alive():
                app["error"] = "the transfer did not finish within %d s" % (
                    self.window + XFER_GRACE_S)
            app_ok = app["ok"]
        else:
            app = self.play(self.window, timeout=self.window + XFER_GRACE_S)
            app_ok = app["rc"] == 0 and not app["error"]
            stalled = app["ms"] > 1000 * self.window + STALL_MS
        rec["app"] = app
        st = status(self.a.device)
        fired = st["fault"]["fired"] if st["fault"]["pid"] == trial_pid else 0
        rec["fired"] = fired
        new = recoveries_since(st, last)
        working = self.works(3)
        if not new and (not working or not app_ok or stalled):
            # broken, or the application suffered: does nook notice in time?
            t_broken = time.monotonic()
            wait_until(lambda: recoveries_since(status(self.a.device), last), DETECT_S)
            st = status(self.a.device)
            new = recoveries_since(st, last)
            rec["detect_wait_ms"] = int(1000 * (time.monotonic() - t_broken))
            if not new:
                rec["evidence"] = self.evidence()
            if not working:
                working = bool(new) and self.healthy()
        if not new and fired and working and any(
                " on," in f["description"] for f in plan["faults"]):
            # A fault "from the Nth ... on" goes on until the incarnation ends: one that
            # did no harm yet may still be caught (an interrupt storm is counted over
            # 10,000 interrupts). Watch it as long as an undetected failure is given.
            t_quiet = time.monotonic()
            wait_until(lambda: recoveries_since(status(self.a.device), last), DETECT_S)
            st = status(self.a.device)
            new = recoveries_since(st, last)
            if new:
                rec["late_detect_ms"] = int(1000 * (time.monotonic() - t_quiet))
                working = self.works(3)
        if ping:
            ping.send_signal(signal.SIGINT)
            out, _ = ping.communicate(timeout=10)
            answered, gap_ms, _ = ping_stats(out.splitlines(), t_load)
            app["pings_answered"], app["ping_gap_ms"] = answered, gap_ms
            stalled = gap_ms is None or gap_ms > STALL_MS
        rec["recoveries"] = new
        rec["last_failure"] = st["last_failure"] if new else ""
        rec["device_works"] = working
        rec["host"] = self.host_check()
        if rec["host"]["harmed"]:
            outcome = "host-harmed"
        elif new:
            outcome = "recovered" if app_ok and not stalled and working else "recovered-impact"
        elif not working:
            outcome = "undetected"
        elif not fired:
            outcome = "not-activated"
        elif app_ok and not stalled:
            outcome = "no-effect"
        else:
            # The device works and nothing failed, but the application suffered: an
            # undetected failure that passed.
            outcome = "undetected"
        rec["outcome"] = outcome
        if not working or st["state"] != "running":
            rec["repaired"] = self.healthy()
        rec["ms"] = int(1000 * (time.monotonic() - t_start))
        return rec

    def evidence(self):
        """What a developer would look at first, for a failure nook did not see."""
        st = sh(NOOKCTL, "status", self.a.device).stdout.strip().splitlines()
        link = [l for l in sh("ip", "-s", "-o", "link").stdout.splitlines() if "nook" in l]
        ev = {"status": st[:12], "links": [" ".join(l.split()) for l in link]}
        if self.net:
            ev["wire"] = wire_census(IFNAME, 1.0)
            ev["neigh"] = sh("ip", "neigh", "show", "dev", IFNAME).stdout.split("\n")[:4]
            ev["peer_neigh"] = sh("ip", "netns", "exec", PEER_NS, "ip", "neigh").stdout.split("\n")[:4]
        return ev

    def host_check(self):
        lines = self.dmesg()
        new = [l for l in lines[self.dmesg_seen:]
               if HOST_HARM.search(l) and not USER_TRAP.search(l)]
        self.dmesg_seen = len(lines)
        nookd = os.path.exists("/proc/%d" % self.a.nookd_pid)
        st = status(self.a.bystander)
        by = (st["pid"], st["restarts"]) if st else None
        harmed = bool(new) or not nookd or by != self.bystander or by is None
        before, self.bystander = self.bystander, by  # the next trial is judged from here
        return {"harmed": harmed, "kernel": new[:5], "nookd_alive": nookd,
                "bystander": by, "bystander_before": before}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--driver", required=True)
    p.add_argument("--device", required=True)
    p.add_argument("--bystander", required=True)
    p.add_argument("--nookd-pid", type=int, required=True)
    p.add_argument("--binary", required=True)
    p.add_argument("--functions", required=True)
    p.add_argument("--planner", required=True)
    p.add_argument("--passes", required=True, help="how often the driver passes each site")
    p.add_argument("--trials", type=int, default=30)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--first", type=int, default=0)
    p.add_argument("--replay", help="run one trial of each of these seeds (comma-separated)")
    p.add_argument("--fault", help="run one trial with exactly these faults (SPEC[,SPEC...])")
    p.add_argument("--class", dest="cls", default="any")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--window", type=float, default=3.0)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    c = Campaign(a)
    sink_proc = None
    if c.net:
        sink_proc = subprocess.Popen(["ip", "netns", "exec", PEER_NS, sys.executable, __file__,
                                      "sink"])
        time.sleep(1)
    else:
        a.tone = "/tmp/swifi-tone.wav"
        sh("sox", "-q", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer",
           a.tone, "synth", str(int(a.window) + 2), "sine", "440", "vol", "0.5")
    a.fault = a.fault.split(",") if a.fault else None
    seeds = [(0, 0)] if a.fault else \
        list(enumerate(int(s) for s in a.replay.split(","))) if a.replay else \
        [(n, trial_seed(a.seed, n)) for n in range(a.first, a.first + a.trials)]
    counts = {}
    with open(a.out, "a") as out:
        for n, seed in seeds:
            if not c.healthy():
                print("# trial %d: the device does not work before the trial; stopping" % n,
                      flush=True)
                break
            rec = c.run_trial(n, seed)
            out.write(json.dumps(rec) + "\n")
            out.flush()
            counts[rec["outcome"]] = counts.get(rec["outcome"], 0) + 1
            faults = "; ".join(f["description"] for f in rec["faults"])
            print("# trial %d seed %d: %s (%s; fired %s) %s" % (
                n, seed, rec["outcome"], rec["class"], rec.get("fired"), faults), flush=True)
            if rec["outcome"] == "host-harmed":
                print("# host harmed: %s" % json.dumps(rec["host"]), flush=True)
    if sink_proc:
        sink_proc.kill()
    print("# outcomes: %s" % json.dumps(counts), flush=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["sink"]:
        sink()
    sys.exit(main())
