#!/bin/bash
# A/B (guest side): iperf3 TCP through two or more builds of one nook NIC driver program, in
# the same guest boot, alternating, so that a change to the driver can be told from the noise.
# A developer's tool, run by hand:
#   cp build/drivers/8139cp/nook-driver-8139cp /var/tmp/drv-a   # before the change
#   cp build/drivers/8139cp/nook-driver-8139cp /var/tmp/drv-b   # after it
#   tests/vm/nook-vm -e NOOK_BENCH_NIC=8139cp -e "NOOK_AB_DRIVERS=/var/tmp/drv-a /var/tmp/drv-b" \
#       -d rtl8139 -d e1000 tests/bench/guest/nic-ab.sh
# Figures from one boot to the next move by 10% and more on a shared machine; within a boot,
# runs of one build agree within a few percent. Each of NOOK_AB_ROUNDS (2) rounds starts each
# driver in turn and runs iperf3 NOOK_AB_RUNS (2) times for NOOK_BENCH_SECONDS (6), in the
# direction NOOK_AB_DIR names (rx, the default: the peer sends; or tx). It prints each run
# and, per driver, the median of all its runs and the mean round-trip time of 200 pings.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
secs=${NOOK_BENCH_SECONDS:-6}
nic=${NOOK_BENCH_NIC:-e1000}
rounds=${NOOK_AB_ROUNDS:-2}
runs=${NOOK_AB_RUNS:-2}
case ${NOOK_AB_DIR:-rx} in
rx) dir=-R ;;
tx) dir= ;;
*) echo "ab: NOOK_AB_DIR must be rx or tx"; exit 1 ;;
esac
read -ra drivers <<<"${NOOK_AB_DRIVERS:-}"
[ ${#drivers[@]} -ge 2 ] || { echo "ab: NOOK_AB_DRIVERS must name two driver programs or more"; exit 1; }
for d in "${drivers[@]}"; do
	[ -x "$d" ] || { echo "ab: $d is not an executable driver program"; exit 1; }
done

net_nic_up "$nic" || exit 1
dev=$NIC
modprobe tun
vfio_bind "$dev" || { echo "ab: cannot bind $dev to vfio-pci"; exit 1; }

declare -A mbits ping
for round in $(seq "$rounds"); do
	for d in "${drivers[@]}"; do
		net_nook_up "$d" "$dev" || exit 1
		net_wait_ping || { echo "ab: $d: the peer does not answer"; exit 1; }
		rtt=$(ping -q -c 200 -i 0.005 "$NET_PEER_IP" | awk -F/ '/^rtt/ {print $5}')
		line=""
		for _ in $(seq "$runs"); do
			r=$(net_iperf "$secs" $dir) || { cat "$NOOK_OUT/driver.log"; exit 1; }
			line="$line $(( ${r##* } / 1000000 ))"
		done
		echo "ab: round $round $d: ping ${rtt} ms, Mbit/s$line"
		mbits[$d]="${mbits[$d]:-}$line"
		ping[$d]="${ping[$d]:-} $rtt"
		net_nook_down
	done
done

echo "$nic iperf3 TCP ${NOOK_AB_DIR:-rx}, $((rounds * runs)) runs of $secs s per driver, same guest boot"
for d in "${drivers[@]}"; do
	python3 - "$d" "${mbits[$d]}" "${ping[$d]}" <<'PY'
import statistics, sys
m = [int(x) for x in sys.argv[2].split()]
p = [float(x) for x in sys.argv[3].split()]
print(f"  {sys.argv[1]}: median {statistics.median(m)} Mbit/s (min {min(m)}, max {max(m)}), "
      f"ping {statistics.mean(p):.3f} ms")
PY
done
