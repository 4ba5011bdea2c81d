#!/bin/bash
# Benchmark (guest side): how long nook takes to recover a NIC's driver (the e1000, or with
# NOOK_BENCH_NIC=8139cp the RTL-8139C+, with pcnet32 the AMD PCnet, with e100 the PRO/100)
# from each kind of injected failure, median of several, measured by nookd from detection to
# the new incarnation's start (the standby handed the device), READY, carrier and first
# received frame. Beside it, both nook and the kernel's own driver are timed by the same
# outside clock, as an application sees a failure: the longest silence of a ping every 20 ms
# (-D, its replies' times), for nook around each injected failure (its detection included),
# for the kernel's driver around `modprobe -r` then `modprobe` (what reloading a failed
# kernel driver costs, when the machine survived it, with no detection at all). It measures;
# it does not pass or fail on a figure.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"
rounds=${NOOK_BENCH_ROUNDS:-3}
kinds=${NOOK_BENCH_KINDS:-segv abort hang leak wild-write wild-dma bad-skb}
timeout_ms=1000

nic=${NOOK_BENCH_NIC:-e1000}
export NOOK_DRIVER_PATH=$NOOK_BUILD/drivers/$nic
net_nic_up "$nic" || exit 1
dev=$NIC
modprobe tun && modprobe vfio-pci || exit 1

ms_now() { echo $(($(date +%s%N) / 1000000)); }
now() { date +%s.%N; }
# outage PING FROM TO: the longest silence (ms) between replies in PING's -D output from the
# last reply before FROM to the first after it that ends the silence, looking until TO
outage() {
	python3 - "$@" <<'PY'
import re, sys
ping, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
t = sorted(float(m.group(1)) for m in re.finditer(r"^\[(\d+\.\d+)\] \d+ bytes from", open(ping).read(), re.M))
before = [x for x in t if x < start][-1:]
inside = before + [x for x in t if start <= x <= end]
print(int(max((b - a for a, b in zip(inside, inside[1:])), default=-1) * 1000))
PY
}

# The kernel's driver: from modprobe to the first ping answered, $rounds times; and the
# application's outage around each reload, by a ping every 20 ms.
kernel=() kernel_app=()
modprobe "$nic"
ifname=$(net_ifname_of "$dev") || { echo "bench: the kernel's $nic made no interface"; exit 1; }
net_local_up "$ifname"
net_wait_ping || { echo "bench: no ping through the kernel's $nic"; exit 1; }
ping -D -i 0.02 -W 1 "$NET_PEER_IP" > /tmp/kernel-ping.txt 2>&1 &
pinger=$!
sleep 1
for _ in $(seq "$rounds"); do
	from=$(now)
	modprobe -r "$nic"
	t0=$(ms_now)
	modprobe "$nic"
	ifname=$(net_ifname_of "$dev") || { echo "bench: the kernel's $nic made no interface"; exit 1; }
	net_local_up "$ifname"
	until ping -c 1 -W 0.2 "$NET_PEER_IP" > /dev/null 2>&1; do :; done
	kernel+=($(($(ms_now) - t0)))
	sleep 1
	kernel_app+=("$from $(now)")
done
kill "$pinger"
wait "$pinger" 2> /dev/null
kernel_out=()
for w in "${kernel_app[@]}"; do
	kernel_out+=($(outage /tmp/kernel-ping.txt $w))
done
modprobe -r "$nic"

nookd_bus_up || exit 1
# Failures every few seconds are this benchmark's plan, not a crash loop.
nookd_start --heartbeat-ms 100 --heartbeat-timeout-ms $timeout_ms --max-failures 64 || exit 1
nookctl attach "$dev" --ifname nook0 > /dev/null || exit 1
net_local_up nook0
net_wait_ping || { echo "bench: no ping through nook0"; exit 1; }
ping -D -i 0.02 -W 1 "$NET_PEER_IP" > /tmp/nook-ping.txt 2>&1 &
pinger=$!
sleep 1
restarts=0
windows=()
for kind in $kinds; do
	for _ in $(seq "$rounds"); do
		from=$(now)
		nookctl inject "$dev" "$kind" > /dev/null || exit 1
		restarts=$((restarts + 1))
		wait_for 30 running_with "$dev" $restarts && wait_for 30 traffic_back "$dev" ||
			{ echo "bench: no recovery from $kind"; exit 1; }
		# The next failure finds a standby ready, as it would a second after a recovery.
		wait_for 10 has_standby "$dev" || { echo "bench: no standby"; exit 1; }
		sleep 1
		windows+=("$kind $from $(now)")
	done
done
kill "$pinger"
wait "$pinger" 2> /dev/null
nookctl status "$dev" --json > /tmp/recoveries.json
nookd_stop
: > /tmp/nook-outages.txt
for w in "${windows[@]}"; do
	set -- $w
	echo "$1 $(outage /tmp/nook-ping.txt "$2" "$3")" >> /tmp/nook-outages.txt
done

python3 - "$rounds" "${kernel[*]}" "$timeout_ms" "$nic" "${kernel_out[*]}" <<'PY'
import json, statistics, sys
rounds, kernel, timeout = int(sys.argv[1]), [int(x) for x in sys.argv[2].split()], int(sys.argv[3])
nic, kernel_out = sys.argv[4], [int(x) for x in sys.argv[5].split()]
app = {}
for line in open('/tmp/nook-outages.txt'):
    kind, ms = line.split()
    app.setdefault(kind, []).append(int(ms))
recs = json.load(open('/tmp/recoveries.json'))['recoveries']
print(f"nook {nic} recovery, median of {rounds}, ms from detection (a hang is detected "
      f"{timeout} ms after the driver's last heartbeat):")
print(f"  {'kind':<11} {'detected as':<11} {'started':>8} {'ready':>8} {'carrier':>8} {'first frame':>12}"
      f" {'ping silent':>12}")
by = {}
for r in recs:
    by.setdefault(r['injected'], []).append(r)
firsts, silences = [], []
for kind, rs in by.items():
    med = lambda k: int(statistics.median(r[k] for r in rs))
    silent = int(statistics.median(app.get(kind, [-1])))
    firsts.append(med('traffic_ms'))
    silences.append(silent)
    print(f"  {kind:<11} {rs[0]['failure']:<11} {med('started_ms'):>8} {med('ready_ms'):>8} "
          f"{med('carrier_ms'):>8} {med('traffic_ms'):>12} {silent:>12}")
k = int(statistics.median(kernel))
ka = int(statistics.median(kernel_out))
n = int(statistics.median(firsts))
na = int(statistics.median(silences))
print(f"kernel {nic}, modprobe to first ping answered, median of {rounds}: {k} ms")
print(f"nook: detection to first frame, median over all kinds: {n} ms (nookd's own clock)")
print(f"as an application sees it (the longest silence of a 20 ms ping, the same clock for both):")
print(f"  kernel {nic} reloaded (no detection): median of {rounds} {ka} ms (each: {kernel_out})")
print(f"  nook, its detection included: median over all kinds {na} ms; ratio nook/kernel {na / ka:.2f}")
PY
