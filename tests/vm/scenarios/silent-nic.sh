#!/bin/bash
# VM scenario: silent failures of a supervised NIC's driver ($NOOK_NIC: 8139cp here). The
# driver is patched from outside, with gdb, while nookd supervises it and a ping runs: first
# its start_xmit returns at once (it takes every frame and sends none), then, in the next
# incarnation, its NAPI poll returns at once (it receives nothing while the NIC counts the
# frames it misses). Each time nookd must see the driver alive but silent, kill it and have
# a new one running within 5 s, say so in `nookctl status`, and ping must carry on; then it
# loses its link (gdb has it call netif_carrier_off) and is restarted once for that. Before
# that, an idle interface must be left alone for 12 s. Then (8139cp) its receiver is made
# deaf: the NIC counts nothing, and nookd tells it from a quiet network by an ARP probe of the
# peer that goes unanswered; then it hears only itself (its transmitter looped back into its
# promiscuous receiver), which nookd does not take for the network; and a UDP flood to a
# neighbour that never answers (a quiet network) costs no restart. After it, two failures the driver
# process catches itself (8139cp): its interrupt handler claims every interrupt and does
# nothing, so its transmit queue stops for good: Linux's transmit watchdog resets it
# (ndo_tx_timeout) and, the queue stopping again, fail-stops it; then its interrupt handler
# claims none: an interrupt storm nobody cares for, which fail-stops it too.
# (QEMU's e1000 model holds frames back in QEMU when its receive ring is full, rather than
# count them missed as a NIC does: its receive stall is invisible from outside here.)
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"

kind=${NOOK_NIC:-8139cp}
case $kind in
8139cp) xmit=cp_start_xmit rx_poll=cp_rx_poll ;;
e1000) xmit=e1000_xmit_frame rx_poll= ;;
*) fatal "silent-nic knows 8139cp and e1000, not $kind" ;;
esac
command -v gdb > /dev/null || fatal "no gdb in the guest"

nookd_nic_up --heartbeat-ms 200 --heartbeat-timeout-ms 3000
nic=$NIC

# An idle interface: nothing to send, nothing arriving. Not a stall.
pid=$(status_field "$nic" pid)
sleep 12
check "idle 12 s: the driver (pid $pid) is left alone" \
	test "$(status_field "$nic" pid)/$(status_field "$nic" restarts)" = "$pid/0"
check "... and nookd saw nothing silent" sh -c "! grep -q 'silent:' '$NOOK_OUT/nookd.log'"

# silenced WHAT FUNCTION WANT RESTARTS [LIMIT_MS]: patch FUNCTION of the running driver to
# return at once (or, FUNCTION "call:EXPR", have it evaluate EXPR), then check nookd's
# verdict (last_failure has WANT) and the restart (the RESTARTS-th, within LIMIT_MS: 5000).
silenced() {
	local what=$1 fn=$2 want=$3 restarts=$4 limit=${5:-5000} pid times why rec
	pid=$(status_field "$nic" pid)
	if [ "${fn#call:}" != "$fn" ]; then
		driver_gdb_call "$nic" "${fn#call:}" | sed 's/^/# gdb: /'
		echo "# $what: pid $pid evaluated ${fn#call:}"
	else
		driver_patch_return "$nic" "$fn" 0 || { check "$what: gdb patched $fn in pid $pid" false; return; }
		echo "# $what: $fn of pid $pid returns at once from now"
	fi
	times=$(time_to_restart "$nic" "$pid")
	why=$(status_field "$nic" last_failure)
	rec=$(last_recovery "$nic")
	echo "# $what: killed ${times% *} ms, a new driver running ${times#* } ms after the patch"
	echo "# $what: last failure: $why"
	echo "# $what: recovery (detection, then ms to start/ready/carrier/first frame): $rec"
	check "$what: restarted within $((limit / 1000)) s (${times#* } ms)" \
		test -n "$times" -a "${times#* }" -le "$limit"
	check "$what: status says why: '$want'" grep -q -- "$want" <<< "$why"
	check "$what: the recovery log names a silent failure" test "${rec%% *}" = silent
	check "$what: it runs again, restart number $restarts" running_with "$nic" "$restarts"
	check "$what: traffic flows through the new driver" wait_for 20 traffic_back "$nic"
	check "$what: ping works" net_wait_ping
}

# ping_start TAG: ping the peer every 200 ms into silent-TAG-ping.txt (pinger: its pid), 2 s
# before what follows. ping_stop TAG: 2 s on, stop it and show how it fared.
ping_start() {
	ping -O -i 0.2 -W 1 "$NET_PEER_IP" > "$NOOK_OUT/silent-$1-ping.txt" 2>&1 &
	pinger=$!
	sleep 2
}
ping_stop() {
	sleep 2
	kill -INT "$pinger"
	wait "$pinger"
	echo "# ping through it: $(tail -n 2 "$NOOK_OUT/silent-$1-ping.txt" | head -n 1)"
}

# It takes every frame and sends none: a ping every 200 ms gives it frames.
ping_start tx
silenced "stopped transmitting" "$xmit" "silent: stopped transmitting: .* frames taken in .* s, none sent" 1
ping_stop tx
# (ping -O says "no answer yet" for each ping lost: its last lines are its last pings)
check "... and the ping running through it all is answered again at its end" \
	sh -c "grep -E 'bytes from|no answer' '$NOOK_OUT/silent-tx-ping.txt' | tail -n 5 | grep -vq 'no answer'"

# It receives nothing: the peer pings every 10 ms, its frames fill the NIC's receive ring,
# and the NIC counts the ones it misses.
if [ -n "$rx_poll" ]; then
	ip netns exec "$NET_PEER_NS" ping -q -i 0.01 -W 1 "$NET_LOCAL_IP" > /dev/null 2>&1 &
	flood=$!
	ping_start rx
	silenced "stopped receiving" "$rx_poll" "silent: stopped receiving: the NIC missed .* frames in .* s, none received" 2
	kill "$flood"
	ping_stop rx
	check "... and the ping running through it all is answered again at its end" \
		sh -c "grep -E 'bytes from|no answer' '$NOOK_OUT/silent-rx-ping.txt' | tail -n 5 | grep -vq 'no answer'"
fi

# caught NAME FUNCTION VALUE WANT RESTARTS: patch FUNCTION to return VALUE; the driver
# process must stop itself (WANT in last_failure, a fail-stop) within 60 s.
caught() {
	local name=$1 fn=$2 value=$3 want=$4 restarts=$5 pid times why t0
	pid=$(status_field "$nic" pid)
	driver_patch_return "$nic" "$fn" "$value" || { check "$name: gdb patched $fn" false; return; }
	echo "# $name: $fn of pid $pid returns $value from now"
	t0=$(date +%s%N)
	wait_for 60 sh -c "! kill -0 $pid" || { check "$name: the driver stopped itself" false; return; }
	echo "# $name: pid $pid ended $((($(date +%s%N) - t0) / 1000000)) ms after the patch"
	why=$(status_field "$nic" last_failure)
	echo "# $name: last failure: $why"
	check "$name: the driver process stopped itself: '$want'" grep -q -- "$want" <<< "$why"
	check "$name: the recovery log says fail-stop" \
		test "$(last_recovery "$nic" | cut -d' ' -f1)" = fail-stop
	check "$name: it runs again, restart number $restarts" wait_for 20 running_with "$nic" "$restarts"
	check "$name: ping works" net_wait_ping
}

# It loses its link and never looks again (8139cp reads its link only on a link-change
# interrupt: a PHY read gone wrong leaves it down for good). A driver had that link: nookd
# restarts the driver once, 1 s on (and would believe the next, were the cable out).
ping_start link
silenced "lost its link" "call:(void)netif_carrier_off('netdev-shim.c'::S.dev)" \
	"silent: its link has been down for .* s (this driver had one); restarted once" \
	$(($(status_field "$nic" restarts) + 1)) 8000
ping_stop link

if [ "$kind" = 8139cp ]; then
	# Its receiver made deaf (a write to its receive configuration that clears every accept
	# bit, as e1000 campaign trial 35 overwrote RCTL; the command register would not do: QEMU
	# restarts the transmit ring when TxOn is written): the NIC drops what arrives and counts
	# nothing. It sends and hears nothing; nookd has the kernel probe the peer, whose answer
	# it never receives either: a silent failure.
	rxconfig="((struct cp_private *)'netdev-shim.c'::S.dev->nook_priv)->regs + 0x44"
	ping_start rxoff
	silenced "receiver off" \
		"call:(void)nook_iowrite(nook_ioread($rxconfig, 4) & ~0xf, $rxconfig, 4)" \
		"silent: stopped receiving: .* frames sent in .* s, none received or counted missed, and 192.0.2.2, which answered before, did not answer an ARP probe" \
		$(($(status_field "$nic" restarts) + 1))
	ping_stop rxoff

	# It hears only itself: its transmitter looped back into its receiver (TxConfig's
	# loopback bits) and its receiver promiscuous, as e1000 campaign trial 35 left its NIC:
	# every frame it sends comes back and is received and counted, and nothing of the
	# network. Frames from the NIC's own address are not heard from the network: nookd probes
	# the peer (the probe comes back too), and restarts it: 2 s of silence, counted from the
	# last of the peer's answers still on their way, and the probe's 1.5 s. From the write
	# to the kill took 2.3 to 9.1 s in the runs so far, the new driver running up to 1 s
	# later: QEMU's rtl8139 went on putting frames on the wire for up to 3 s after the write
	# (the peer answered pings that long), and the rule's time counts from the last answer.
	# 15 s allowed; why the loopback takes effect so late is not yet known.
	txconfig="((struct cp_private *)'netdev-shim.c'::S.dev->nook_priv)->regs + 0x40"
	ping_start loop
	silenced "hears only itself" \
		"call:(void)(nook_iowrite(nook_ioread($txconfig, 4) | 0x60000, $txconfig, 4), nook_iowrite(nook_ioread($rxconfig, 4) | 0x1, $rxconfig, 4))" \
		"silent: stopped receiving: .* frames sent in .* s, none received or counted missed, and 192.0.2.2, which answered before, did not answer an ARP probe" \
		$(($(status_field "$nic" restarts) + 1)) 15000
	ping_stop loop

	# Frames for a neighbour that never answers: the queue fills, nothing comes back.
	ip neigh replace 192.0.2.9 lladdr 02:00:00:00:00:09 dev nook0
	python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + 60
while time.monotonic() < end:
    try:
        s.sendto(bytes(100), ('192.0.2.9', 9))
    except OSError:
        time.sleep(0.01)
" &
	sender=$!
	# (no restart for the flood: the watchdog's is the 6th)
	caught "transmit watchdog" cp_interrupt 1 \
		"fail-stop: NETDEV WATCHDOG: nook0: transmit queue 0 timed out again" 6
	kill "$sender" 2>/dev/null
	wait "$sender" 2>/dev/null
	check "transmit watchdog: the driver's own reset ran first" \
		grep -q "NETDEV WATCHDOG: transmit queue 0 timed out" "$NOOK_OUT/nookd.log"
	grep -E "NETDEV WATCHDOG|Transmit timeout" "$NOOK_OUT/nookd.log" | sed 's/^/# /'
	ping -i 0.2 -W 1 "$NET_PEER_IP" > /dev/null 2>&1 &
	pinger=$!
	caught "interrupt storm" cp_interrupt 0 \
		"fail-stop: interrupt storm: irq 1: nobody cared" 7
	kill "$pinger"
	wait "$pinger" 2>/dev/null
fi

nookctl status "$nic" | sed 's/^/# /'
check "the guest kernel logged no oops" sh -c "! dmesg | grep -Eq 'Oops|BUG:|general protection|Call Trace'"
nookd_stop
summary
