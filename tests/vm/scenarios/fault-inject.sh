#!/bin/bash
# VM scenario: nookctl inject makes the supervised e1000 fail inside its interrupt context,
# one way after another; nookd detects each, says how, restarts the driver, and traffic
# resumes on the same interface.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"

e1000=$(pci_find 8086 100e) || fatal "no e1000 in the guest"
rtl=$(pci_find 10ec 8139) || fatal "no rtl8139 in the guest"
net_peer_up "$rtl" 8139cp || fatal "the peer did not come up"
modprobe tun && modprobe vfio-pci || fatal "cannot load tun and vfio-pci"
nookd_bus_up || fatal "no system bus"
# Eight failures within a minute are this test's plan, not a crash loop.
nookd_start --heartbeat-ms 200 --heartbeat-timeout-ms 1500 --max-failures 20 ||
	fatal "nookd did not come up"
nookctl attach "$e1000" --ifname nook0 > /dev/null || fatal "attach failed"
net_local_up nook0
net_wait_ping || fatal "no ping through nook0"
ifindex=$(cat /sys/class/net/nook0/ifindex)

restarts_now() { status_field "$e1000" restarts; }
n=0
for kind in segv abort hang wild-write; do
	before=$(restarts_now)
	out=$(nookctl inject "$e1000" "$kind" 2>&1)
	echo "# $out"
	# Traffic makes interrupts; e1000's watchdog makes one every 2 s anyway.
	ping -c 3 -i 0.2 -W 1 "$NET_PEER_IP" > /dev/null 2>&1
	check "inject $kind: detected and restarted" wait_for 20 sh -c \
		"[ \"\$($NOOK_BUILD/ctl/nookctl status $e1000 --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s[\"state\"], s[\"restarts\"])')\" = 'running $((before + 1))' ]"
	why=$(status_field "$e1000" last_failure)
	echo "# $kind: $why; recovery $(status_field "$e1000" last_recovery_ms) ms"
	case "$kind" in
	segv) want="SIGSEGV at address 0x0 in nook_fault_fire" ;;
	abort) want="SIGABRT" ;;
	hang) want="hung: no heartbeat" ;;
	wild-write) want="SIGSEGV at address 0x" ;;
	esac
	check "inject $kind: the failure says '$want'" grep -q "$want" <<< "$why"
	check "inject $kind: ping works again" net_wait_ping
done
check "nook0 kept its ifindex through it all" test "$(cat /sys/class/net/nook0/ifindex)" = "$ifindex"

# A TCP transfer through four failures: it stalls while a driver is down and completes.
ip netns exec peer iperf3 -s -1 -D -p 5202
sleep 0.5
timeout 90 iperf3 -c "$NET_PEER_IP" -p 5202 -t 30 -J > /tmp/fault-iperf.json 2>&1 &
client=$!
for kind in segv abort hang wild-write; do
	sleep 4
	wait_state "$e1000" running 15
	nookctl inject "$e1000" "$kind" > /dev/null
done
wait "$client"
rc=$?
result=$(python3 -c "
import json; j = json.load(open('/tmp/fault-iperf.json'))
print(j.get('error') or 'ok', j['end']['sum_sent']['bytes'], j['end']['sum_received']['bytes'])" 2>&1)
echo "# iperf3 through four failures: $result"
check "iperf3 TCP 30 s through segv, abort, hang and wild-write completes without error" \
	test "$rc" = 0 -a "${result%% *}" = ok
check "all four were recovered" wait_for 20 sh -c \
	"[ \"\$($NOOK_BUILD/ctl/nookctl status $e1000 --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s[\"state\"], s[\"restarts\"])')\" = 'running 8' ]"
out=$(nookctl inject "$e1000" explode 2>&1)
check "an unknown fault is refused ($out)" grep -q "unknown fault 'explode'" <<< "$out"
nookd_stop
summary
