#!/bin/bash
# VM scenario: nookctl inject makes the supervised NIC's driver ($NOOK_NIC: e1000, the default,
# 8139cp, pcnet32 or e100) fail in each of the ways nook knows,
# inside driver context; nookd detects each (crash, hang, fail-stop on a detected fault, the
# IOMMU's refusal), says how, restarts the driver and measures the way back to the first
# received frame, while the interface, its address and routes stay as they were. Then an
# iperf3 TCP transfer of 30 s runs through all seven, with a ping every 50 ms beside it.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"

KINDS="segv abort hang leak wild-write wild-dma bad-skb"
HEARTBEAT_TIMEOUT_MS=1500

# Fourteen failures within a minute are this test's plan, not a crash loop.
nookd_nic_up --heartbeat-ms 200 --heartbeat-timeout-ms $HEARTBEAT_TIMEOUT_MS --max-failures 40
nic=$NIC
ifindex=$(cat /sys/class/net/nook0/ifindex)
addrs=$(ip -4 -o addr show dev nook0 | awk '{print $4}')
routes=$(ip route show dev nook0)

expect_failure() { # kind -> what last_failure must say, and the detection's name
	case "$1" in
	segv) echo "crash|SIGSEGV at address 0x0 in nook_fault_fire" ;;
	abort) echo "crash|SIGABRT" ;;
	hang) echo "hang|hung: no heartbeat" ;;
	leak) echo "fail-stop|fail-stop: heap quota exceeded" ;;
	wild-write) echo "crash|SIGSEGV at address 0x" ;;
	wild-dma) echo "dma-fault|was refused by the IOMMU" ;;
	bad-skb) echo "fail-stop|fail-stop: nook0: the driver handed up a received skb whose length" ;;
	esac
}

n=0
for kind in $KINDS; do
	want=$(expect_failure "$kind")
	out=$(nookctl inject "$nic" "$kind" 2>&1)
	echo "# $out"
	# Traffic makes interrupts, DMA mappings and received frames for the faults to fire in.
	ping -i 0.1 -W 1 "$NET_PEER_IP" > /dev/null 2>&1 &
	pinger=$!
	n=$((n + 1))
	check "inject $kind: detected and restarted" wait_for 20 running_with "$nic" $n
	check "inject $kind: traffic flows again" wait_for 20 traffic_back "$nic"
	kill "$pinger" 2>/dev/null
	wait "$pinger" 2>/dev/null
	why=$(status_field "$nic" last_failure)
	rec=$(last_recovery "$nic")
	echo "# $kind: $why"
	echo "# $kind: recovery (detection, then ms to start/ready/carrier/first frame): $rec"
	check "inject $kind: the failure says '${want#*|}'" grep -q -- "${want#*|}" <<< "$why"
	check "inject $kind: detected as ${want%%|*}, the injected $kind" \
		test "$(cut -d' ' -f1,2 <<< "$rec")" = "${want%%|*} $kind"
	check "inject $kind: ping works" net_wait_ping
done
check "nook0 kept its ifindex through it all" test "$(cat /sys/class/net/nook0/ifindex)" = "$ifindex"
check "... its addresses ($addrs)" test "$(ip -4 -o addr show dev nook0 | awk '{print $4}')" = "$addrs"
check "... and its routes" test "$(ip route show dev nook0)" = "$routes"

# A TCP transfer through all seven, a ping every 50 ms beside it, and beside both a
# transfer whose ends count and hash every byte (iperf3's own byte counts stop at the end of
# its timed test, with data still in flight: they say nothing about loss).
ip netns exec peer iperf3 -s -1 -D -p 5202
ip netns exec peer python3 "$NOOK_SRC/tests/vm/guest/tcp-transfer.py" recv 5300 > /tmp/xfer-recv.txt &
receiver=$!
sleep 0.5
missed_before=$(net_peer_missed)
tap_dropped_before=$(cat /sys/class/net/nook0/statistics/tx_dropped)
# What the peer's NIC missed and its stack took in, sampled every 20 ms, ahead of the load.
ip netns exec "$NET_PEER_NS" nice -n -15 python3 "$NOOK_SRC/tests/vm/guest/peer-watch.py" \
	peer0 20 > "$NOOK_OUT/peer-watch.txt" &
watcher=$!
wait_for 30 test -s "$NOOK_OUT/peer-watch.txt" || fatal "peer-watch.py did not start"
ping -D -i 0.05 -W 1 "$NET_PEER_IP" > "$NOOK_OUT/fault-ping.txt" 2>&1 &
pinger=$!
timeout 120 iperf3 -c "$NET_PEER_IP" -p 5202 -t 30 -J > "$NOOK_OUT/fault-iperf.json" 2>&1 &
client=$!
timeout 150 python3 "$NOOK_SRC/tests/vm/guest/tcp-transfer.py" send "$NET_PEER_IP" 5300 $((48 << 20)) \
	> /tmp/xfer-send.txt &
sender=$!
: > "$NOOK_OUT/injected.txt"
for kind in $KINDS; do
	sleep 3
	wait_state "$nic" running 15
	date +%s.%N >> "$NOOK_OUT/injected.txt" # the failure's onset, by this side's clock
	nookctl inject "$nic" "$kind" > /dev/null
done
wait "$client"
rc=$?
wait "$sender"
src=$?
wait "$receiver"
sleep 1
kill -INT "$pinger"
wait "$pinger"
kill "$watcher"
wait "$watcher"
missed=$(($(net_peer_missed) - missed_before))
result=$(python3 -c "
import json; j = json.load(open('$NOOK_OUT/fault-iperf.json'))
print(j.get('error') or 'ok', j['end']['sum_sent']['bytes'], j['end']['sum_received']['bytes'])" 2>&1)
echo "# iperf3 through seven failures: $result"
check "iperf3 TCP 30 s through $KINDS completes without error" \
	test "$rc" = 0 -a "${result%% *}" = ok
echo "# hashed transfer: sent $(cat /tmp/xfer-send.txt), received $(cat /tmp/xfer-recv.txt)"
check "a 48 MiB transfer beside it completes" test "$src" = 0
check "... and the receiver counted and hashed exactly what the sender sent" \
	test -s /tmp/xfer-send.txt -a "$(cat /tmp/xfer-send.txt)" = "$(cat /tmp/xfer-recv.txt)"
check "all seven were recovered" wait_for 30 running_with "$nic" $((2 * n))

# Lost pings: only while a driver was down (from the injection, by this side's clock, to
# nook's measure of the way back: tests/vm/guest/ping-losses.py says how), or lost by the
# rig's own peer: under the TCP load its NIC misses frames, and a ping among them is lost
# whichever driver sent it; those are counted apart. Together the losses last no longer
# than the recoveries nookd measured.
nookctl status "$nic" --json > "$NOOK_OUT/fault-status.json"
read -r sent lost outside excused unexplained longest budget_ms <<< "$(python3 \
	"$NOOK_SRC/tests/vm/guest/ping-losses.py" "$NOOK_OUT/fault-ping.txt" \
	"$NOOK_OUT/fault-status.json" $n $HEARTBEAT_TIMEOUT_MS "$NOOK_OUT/peer-watch.txt" \
	"$NOOK_OUT/injected.txt")"
echo "# ping every 50 ms: $sent sent, $lost lost; the recoveries allow $((budget_ms / 50))"
echo "# the peer's NIC missed $missed frames meanwhile"
echo "# the kernel dropped $(($(cat /sys/class/net/nook0/statistics/tx_dropped) - tap_dropped_before)) frames at nook0's ring (no driver reading it: during recoveries)"
echo "# lost outside the recoveries: $outside; of them excused as lost at the peer: $excused"
check "no ping was lost while a driver was up, but those the peer's NIC missed ($outside of $lost lost outside the recoveries, $longest in a row at most; $excused lost at the peer, $unexplained not)" \
	test "${unexplained:-x}" = 0
check "... and the losses last no longer than the recoveries ($lost lost, at most $((budget_ms / 50)))" \
	test $((lost * 50)) -le "$budget_ms"
check "nook0 kept its ifindex, addresses and routes" test \
	"$(cat /sys/class/net/nook0/ifindex) $(ip -4 -o addr show dev nook0 | awk '{print $4}') $(ip route show dev nook0)" = \
	"$ifindex $addrs $routes"
check "the guest kernel logged no oops" sh -c "! dmesg | grep -Eq 'Oops|BUG:|general protection|Call Trace'"
out=$(nookctl inject "$nic" explode 2>&1)
check "an unknown fault is refused ($out)" grep -q "unknown fault 'explode'" <<< "$out"
nookd_stop
summary
