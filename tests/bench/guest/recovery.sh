#!/bin/bash
# Benchmark (guest side): how long nook takes to recover a NIC's driver (the e1000, or with
# NOOK_BENCH_NIC=8139cp the RTL-8139C+, with pcnet32 the AMD PCnet, with e100 the PRO/100)
# from each kind of injected failure, median of several, measured by nookd from detection to
# the new incarnation's start (the standby handed the device), READY, carrier and first
# received frame. For scale, the same boot also times what the kernel's own driver takes from
# `modprobe` to the first ping answered (what reloading a failed kernel driver costs,
# when the machine survived it). It measures; it does not pass or fail on a figure.
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

# The kernel's driver: from modprobe to the first ping answered, $rounds times.
kernel=()
for _ in $(seq "$rounds"); do
	t0=$(ms_now)
	modprobe "$nic"
	ifname=$(net_ifname_of "$dev") || { echo "bench: the kernel's $nic made no interface"; exit 1; }
	net_local_up "$ifname"
	until ping -c 1 -W 0.2 "$NET_PEER_IP" > /dev/null 2>&1; do :; done
	kernel+=($(($(ms_now) - t0)))
	modprobe -r "$nic"
done

nookd_bus_up || exit 1
# Failures every few seconds are this benchmark's plan, not a crash loop.
nookd_start --heartbeat-ms 100 --heartbeat-timeout-ms $timeout_ms --max-failures 64 || exit 1
nookctl attach "$dev" --ifname nook0 > /dev/null || exit 1
net_local_up nook0
net_wait_ping || { echo "bench: no ping through nook0"; exit 1; }
ping -i 0.05 -W 1 "$NET_PEER_IP" > /dev/null 2>&1 &
pinger=$!
restarts=0
for kind in $kinds; do
	for _ in $(seq "$rounds"); do
		nookctl inject "$dev" "$kind" > /dev/null || exit 1
		restarts=$((restarts + 1))
		wait_for 30 running_with "$dev" $restarts && wait_for 30 traffic_back "$dev" ||
			{ echo "bench: no recovery from $kind"; exit 1; }
		# The next failure finds a standby ready, as it would a second after a recovery.
		wait_for 10 has_standby "$dev" || { echo "bench: no standby"; exit 1; }
		sleep 1
	done
done
kill "$pinger"
nookctl status "$dev" --json > /tmp/recoveries.json
nookd_stop

python3 - "$rounds" "${kernel[*]}" "$timeout_ms" "$nic" <<'PY'
import json, statistics, sys
rounds, kernel, timeout = int(sys.argv[1]), [int(x) for x in sys.argv[2].split()], int(sys.argv[3])
nic = sys.argv[4]
recs = json.load(open('/tmp/recoveries.json'))['recoveries']
print(f"nook {nic} recovery, median of {rounds}, ms from detection (a hang is detected "
      f"{timeout} ms after the driver's last heartbeat):")
print(f"  {'kind':<11} {'detected as':<11} {'started':>8} {'ready':>8} {'carrier':>8} {'first frame':>12}")
by = {}
for r in recs:
    by.setdefault(r['injected'], []).append(r)
firsts = []
for kind, rs in by.items():
    med = lambda k: int(statistics.median(r[k] for r in rs))
    firsts.append(med('traffic_ms'))
    print(f"  {kind:<11} {rs[0]['failure']:<11} {med('started_ms'):>8} {med('ready_ms'):>8} "
          f"{med('carrier_ms'):>8} {med('traffic_ms'):>12}")
k = int(statistics.median(kernel))
n = int(statistics.median(firsts))
print(f"kernel {nic}, modprobe to first ping answered, median of {rounds}: {k} ms")
print(f"nook: detection to first frame, median over all kinds: {n} ms; ratio nook/kernel {n / k:.2f}")
PY
