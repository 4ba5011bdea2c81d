#!/bin/bash
# Profile (guest side): where the time goes while iperf3 runs through nook's e1000, each way.
# For each direction: a perf profile of the whole guest (kernel and nook's driver process),
# then the driver process's system calls counted by strace. A developer's tool, run by hand:
#   tests/vm/nook-vm -d e1000 -d rtl8139 tests/bench/guest/e1000-profile.sh [SECONDS]
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
secs=${1:-8}
driver=$NOOK_BUILD/drivers/e1000/nook-driver-e1000
[ -x "$driver" ] || { echo "profile: $driver is not built"; exit 77; }
command -v perf >/dev/null || { echo "profile: perf is not installed"; exit 77; }

net_nic_up e1000 || exit 1
e1000=$NIC
modprobe tun
vfio_bind "$e1000" || { echo "profile: cannot bind $e1000 to vfio-pci"; exit 1; }
"$driver" --device "$e1000" --ifname nook0 > "$NOOK_OUT/driver.log" 2>&1 &
pid=$!
for i in $(seq 100); do [ -e /sys/class/net/nook0 ] && break; sleep 0.1; done
net_local_up nook0 || { echo "profile: nook0 did not appear"; cat "$NOOK_OUT/driver.log"; exit 1; }
net_wait_ping || { echo "profile: the peer does not answer"; exit 1; }

# iperf3 SECONDS [-R], as net_iperf, but given up on after a deadline.
iperf() {
	local srv out
	ip netns exec "$NET_PEER_NS" timeout $(($1 + 30)) iperf3 -s -1 -B "$NET_PEER_IP" \
		>/dev/null 2>&1 &
	srv=$!
	for _ in $(seq 100); do
		ip netns exec "$NET_PEER_NS" ss -Hltn 'sport = :5201' | grep -q . && break
		sleep 0.1
	done
	out=$(timeout $(($1 + 20)) iperf3 -c "$NET_PEER_IP" -t "$1" ${2:-} 2>&1)
	echo "$out" | grep -E 'receiver|error' || echo "profile: iperf3 failed or hung"
	wait "$srv"
}

for dir in tx rx; do
	opt=""
	[ "$dir" = rx ] && opt=-R
	echo "=== $dir: iperf3 alone"
	iperf "$secs" $opt
	echo "=== $dir: perf profile of the guest during iperf3"
	perf record -a -g -o "/tmp/perf.$dir" -- sleep "$secs" >/dev/null 2>&1 &
	prec=$!
	iperf "$secs" $opt
	wait "$prec"
	perf report -i "/tmp/perf.$dir" --no-children --sort comm,dso --stdio 2>/dev/null |
		grep -v '^#' | grep -v '^$' | grep '%' | head -20
	perf report -i "/tmp/perf.$dir" --no-children --sort comm,sym --stdio -g none 2>/dev/null |
		grep -v '^#' | grep -v '^$' | grep '%' | head -60
	echo "=== $dir: the driver's system calls during iperf3"
	timeout $((secs + 2)) strace -c -f -p "$pid" -o "/tmp/strace.$dir" &
	st=$!
	sleep 0.5
	iperf "$secs" $opt
	kill -INT "$st" 2>/dev/null
	wait "$st"
	head -25 "/tmp/strace.$dir"
done
kill "$pid"; wait "$pid" 2>/dev/null
tail -5 "$NOOK_OUT/driver.log"
