#!/bin/bash
# Benchmark (guest side): iperf3 TCP through the kernel's driver and through nook's, of the
# NIC NOOK_BENCH_NIC names (e1000, the default, or 8139cp), in the same guest boot, each way,
# against a kernel-driven peer of the other kind on the same QEMU hub. Prints both figures
# and their ratio. It measures; it does not pass or fail on a figure.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
secs=${NOOK_BENCH_SECONDS:-10}
nic=${NOOK_BENCH_NIC:-e1000}
driver=$NOOK_BUILD/drivers/$nic/nook-driver-$nic
[ -x "$driver" ] || { echo "bench: $driver is not built"; exit 77; }

net_nic_up "$nic" || exit 1
dev=$NIC

# iperf SECONDS [-R]: as net_iperf (prints "SENT RECEIVED BITS_PER_SECOND"), but a run that
# stalls is given up on after a deadline instead of holding the guest until its timeout.
iperf() {
	local secs=$1 json rc srv
	shift
	net_iperf_server "$secs"
	srv=$NET_IPERF_SERVER
	json=$(timeout $((secs + 30)) iperf3 -c "$NET_PEER_IP" -t "$secs" -J --connect-timeout 5000 "$@")
	rc=$?
	wait "$srv"
	[ $rc -eq 0 ] || { echo "bench: iperf3 $* failed (status $rc): $json" | head -c 2000 >&2; return 1; }
	python3 -c '
import json, sys
j = json.load(sys.stdin)
if "error" in j:
    sys.exit("bench: iperf3 " + " ".join(sys.argv[1:]) + ": " + j["error"])
end = j["end"]
print(end["sum_sent"]["bytes"], end["sum_received"]["bytes"], int(end["sum_received"]["bits_per_second"]))
' "$@" <<<"$json"
}

measure() { # LABEL: prints "tx_bps rx_bps"
	local tx rx
	net_wait_ping || { echo "bench: $1: the peer does not answer" >&2; return 1; }
	tx=$(iperf "$secs") || return 1
	echo "bench: $1 tx ${tx##* } bit/s" >&2
	rx=$(iperf "$secs" -R) || return 1
	echo "bench: $1 rx ${rx##* } bit/s" >&2
	echo "${tx##* } ${rx##* }"
}

# The kernel's own driver first.
modprobe "$nic"
ifname=$(net_ifname_of "$dev") || { echo "bench: the kernel's $nic made no interface"; exit 1; }
net_local_up "$ifname"
kernel=$(measure kernel) || exit 1

# Then nook's, on the same device, through vfio-pci.
modprobe tun
vfio_bind "$dev" || { echo "bench: cannot bind $dev to vfio-pci"; exit 1; }
# At the nice value nookd gives its drivers (daemon/supervisor.c).
nice -n -10 "$driver" --device "$dev" --ifname nook0 > "$NOOK_OUT/driver.log" 2>&1 &
pid=$!
for i in $(seq 100); do [ -e /sys/class/net/nook0 ] && break; sleep 0.1; done
net_local_up nook0 || { echo "bench: nook0 did not appear"; cat "$NOOK_OUT/driver.log"; exit 1; }
nook=$(measure nook) || { cat "$NOOK_OUT/driver.log"; exit 1; }
kill "$pid"; wait "$pid" 2>/dev/null

python3 - "$kernel" "$nook" "$secs" "$nic" <<'PY'
import sys
k = [int(x) for x in sys.argv[1].split()]
n = [int(x) for x in sys.argv[2].split()]
print(f"{sys.argv[4]} iperf3 TCP, {sys.argv[3]} s each way, same guest boot (Mbit/s)")
print(f"{'direction':<22}{'kernel':>10}{'nook':>10}{'ratio':>8}")
for name, i in (("guest -> peer (tx)", 0), ("peer -> guest (rx)", 1)):
    print(f"{name:<22}{k[i]/1e6:>10.1f}{n[i]/1e6:>10.1f}{n[i]/k[i]:>8.2f}")
PY
