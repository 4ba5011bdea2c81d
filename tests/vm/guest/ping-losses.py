#!/usr/bin/env python3
"""Which pings a NIC's failures cost, and which the rig lost, for nook's VM scenarios.

  ping-losses.py PING STATUS N HEARTBEAT_TIMEOUT_MS PEER_WATCH INJECTED

PING is `ping -D` output, STATUS `nookctl status --json` after the failures, N how many of
its last recoveries to take, PEER_WATCH what peer-watch.py printed meanwhile, INJECTED the
times (epoch seconds, one a line, in order) at which the test injected those N failures.

A failure takes the driver down from its onset until the new incarnation's first received
frame, plus the TAP queue's drain: that is its recovery window. Its onset is when the test
injected it, by the test's own clock (the fault fires then or later, never before), not
when nookd says it detected it; its end is nookd's measure of the way back. A ping lost
outside every window was lost while a driver was up, and is excused only if the rig's peer
lost it: in the samples around each run of such pings, the peer's NIC missed at least as
many frames as the run is long (it was overflowing, so frames were reaching it: the driver
was sending) and the peer's stack took in no more echo requests than the answered pings
account for (the lost requests never reached it; a request that did lost its reply on the
way back through the driver, which is nook's loss). An answered ping's request is taken to
reach the peer half its round trip after it was sent; the samples that bracket a run are
moved out until none of those arrivals is within AMBIGUOUS_S of either, so that each
answered ping is surely in the bracket or surely out of it, and the count is exact.

Prints "SENT LOST OUTSIDE EXCUSED UNEXPLAINED LONGEST_RUN BUDGET_MS" (EXCUSED: lost outside
the windows and at the peer; BUDGET_MS: what the recoveries together allow) and, on stderr,
a line per run lost outside the windows.
"""
import bisect
import json
import re
import sys

AMBIGUOUS_S = 0.01  # a request's arrival at the peer, estimated from its round trip
DRAIN_S = 0.3  # the TAP queue's drain after the first received frame
TRANSIT_S = 0.1  # a lost request on its way from ping to the peer's stack


def main():
    ping, status, n, heartbeat_ms, watch, injected = sys.argv[1:7]
    n = int(n)
    onsets = [float(x) for x in open(injected).read().split()]
    if len(onsets) != n:
        sys.exit(f"ping-losses.py: {injected} holds {len(onsets)} injection times, not {n}")
    # seq -> when it was sent (the reply's arrival, -D, less its round trip), its round trip
    sent_at, rtt = {}, {}
    for m in re.finditer(r"\[(\d+\.\d+)\].*?icmp_seq=(\d+) .*?time=([\d.]+) ms",
                         open(ping).read()):
        s, rtt[s] = int(m.group(2)), float(m.group(3)) / 1000
        sent_at[s] = float(m.group(1)) - rtt[s]
    seqs = sorted(sent_at)

    def when(s):  # a lost ping's send time, between its answered neighbours'
        if s in sent_at:
            return sent_at[s]
        below = seqs[bisect.bisect_left(seqs, s) - 1]
        above = seqs[bisect.bisect_left(seqs, s)]
        return sent_at[below] + (sent_at[above] - sent_at[below]) * (s - below) / (above - below)

    windows, budget_ms = [], int(heartbeat_ms)
    recoveries = json.load(open(status))["recoveries"]
    for onset, r in zip(onsets, recoveries[len(recoveries) - n:]):
        down_ms = r["traffic_ms"] or r["carrier_ms"] or r["ready_ms"]
        at = max(r["detected_usec"] / 1e6, onset)
        windows.append((onset, at + down_ms / 1000 + DRAIN_S))
        budget_ms += down_ms + 100

    lost = [s for s in range(seqs[0], seqs[-1] + 1) if s not in sent_at]
    runs = []
    for s in lost:
        if any(a <= when(s) <= b for a, b in windows):
            continue
        if runs and runs[-1][-1] == s - 1:
            runs[-1].append(s)
        else:
            runs.append([s])

    # (time, peer's missed frames, echo requests its stack took in)
    samples = [tuple(map(float, line.split())) for line in open(watch) if line.strip()]
    times = [x[0] for x in samples]
    arrivals = sorted(sent_at[s] + rtt[s] / 2 for s in seqs)

    def near_arrival(t):  # an answered request may have reached the peer about then
        k = bisect.bisect_left(arrivals, t - AMBIGUOUS_S)
        return k < len(arrivals) and arrivals[k] <= t + AMBIGUOUS_S
    unexplained = excused = 0
    for run in runs:
        first, last = when(run[0]), when(run[-1])
        # From the answered ping before the run: a lost ping's own send time is only
        # interpolated, and ping's 50 ms beat wavers by more than the samples' 20 ms.
        before = sent_at[seqs[bisect.bisect_left(seqs, run[0]) - 1]]
        i = bisect.bisect_right(times, before) - 1
        j = bisect.bisect_left(times, last + TRANSIT_S)
        while i >= 0 and near_arrival(times[i]):
            i -= 1
        while j < len(samples) and near_arrival(times[j]):
            j += 1
        what = f"ping {run[0]}" + (f"-{run[-1]}" if len(run) > 1 else "") + f", sent at {first:.3f}"
        if i < 0 or j >= len(samples):
            unexplained += len(run)
            print(f"# {what}: lost outside every recovery window, with no peer sample around it",
                  file=sys.stderr)
            continue
        lo, hi = samples[i], samples[j]
        missed, echos = hi[1] - lo[1], hi[2] - lo[2]
        answered = sum(1 for a in arrivals if lo[0] < a <= hi[0])
        at_peer = missed >= len(run) and echos <= answered
        if at_peer:
            excused += len(run)
        else:
            unexplained += len(run)
        print(f"# {what}: lost outside every recovery window; in {hi[0] - lo[0]:.3f} s around it"
              f" the peer's NIC missed {missed:.0f} frames and its stack took in {echos:.0f}"
              f" echo requests for {answered} answered pings: "
              + ("lost at the peer" if at_peer else "NOT lost at the peer"), file=sys.stderr)
    print(seqs[-1] - seqs[0] + 1, len(lost), sum(map(len, runs)), excused, unexplained,
          max(map(len, runs), default=0), budget_ms)


if __name__ == "__main__":
    main()
