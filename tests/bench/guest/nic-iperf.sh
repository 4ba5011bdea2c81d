#!/bin/bash
# Benchmark (guest side): iperf3 TCP through the kernel's driver and through nook's, of the
# NIC NOOK_BENCH_NIC names (e1000, the default, 8139cp, pcnet32 or e100), in the same guest
# boot, each way, against a kernel-driven peer of another kind on the same QEMU hub
# (net_nic_up). Each figure is the
# median of NOOK_BENCH_RUNS (3) runs of NOOK_BENCH_SECONDS (10): single runs on a shared
# machine move by 10% and more. The device goes back and forth between the two drivers, one
# run each way per turn, so that a drift in the machine's speed over the boot weighs on both
# alike. Prints both figures, their spread and their ratio. It measures; it does not pass or
# fail on a figure.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
secs=${NOOK_BENCH_SECONDS:-10}
nic=${NOOK_BENCH_NIC:-e1000}
runs=${NOOK_BENCH_RUNS:-3}
[ "$runs" -ge 1 ] 2>/dev/null || { echo "bench: NOOK_BENCH_RUNS must be a number, 1 or more"; exit 1; }
driver=$NOOK_BUILD/drivers/$nic/nook-driver-$nic
[ -x "$driver" ] || { echo "bench: $driver is not built"; exit 77; }

net_nic_up "$nic" || exit 1
dev=$NIC

# measure LABEL: one iperf3 run each way; the figures go to bps["LABEL tx"] and bps["LABEL rx"],
# comma-separated.
declare -A bps
measure() {
	local r dir
	net_wait_ping || { echo "bench: $1: the peer does not answer" >&2; return 1; }
	for dir in tx rx; do
		r=$(net_iperf "$secs" $([ $dir = rx ] && echo -R)) || return 1
		echo "bench: $1 $dir run $round: ${r##* } bit/s" >&2
		bps[$1 $dir]+="${bps[$1 $dir]:+,}${r##* }"
	done
}

# The kernel's own driver on the device (given back by vfio-pci after the first turn).
kernel_up() {
	vfio_unbind "$dev"
	modprobe "$nic" || return 1
	echo "$dev" > /sys/bus/pci/drivers_probe 2>/dev/null
	ifname=$(net_ifname_of "$dev") || { echo "bench: the kernel's $nic made no interface"; return 1; }
	net_local_up "$ifname"
}

# nook's, on the same device, through vfio-pci.
nook_up() {
	vfio_bind "$dev" || { echo "bench: cannot bind $dev to vfio-pci"; return 1; }
	net_nook_up "$driver" "$dev"
}

modprobe tun
for round in $(seq "$runs"); do
	kernel_up || exit 1
	measure kernel || exit 1
	nook_up || exit 1
	measure nook || { cat "$NOOK_OUT/driver.log"; exit 1; }
	net_nook_down
done
python3 - "${bps[kernel tx]} ${bps[kernel rx]}" "${bps[nook tx]} ${bps[nook rx]}" "$secs" "$nic" "$runs" <<'PY'
import statistics, sys
k = [[int(x) for x in d.split(",")] for d in sys.argv[1].split()]
n = [[int(x) for x in d.split(",")] for d in sys.argv[2].split()]
print(f"{sys.argv[4]} iperf3 TCP, median of {sys.argv[5]} runs of {sys.argv[3]} s each way, "
      "same guest boot, the drivers taking turns (Mbit/s; min-max)")
print(f"{'direction':<22}{'kernel':>10}{'':>13}{'nook':>10}{'':>13}{'ratio':>8}")
def spread(v):
    return f"({min(v) / 1e6:.0f}-{max(v) / 1e6:.0f})"
for name, i in (("guest -> peer (tx)", 0), ("peer -> guest (rx)", 1)):
    km, nm = statistics.median(k[i]), statistics.median(n[i])
    print(f"{name:<22}{km / 1e6:>10.1f}{spread(k[i]):>13}{nm / 1e6:>10.1f}{spread(n[i]):>13}"
          f"{nm / km:>8.2f}")
PY
