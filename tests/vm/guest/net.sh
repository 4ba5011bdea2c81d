# Guest-side network helpers for nook's VM scenarios and benchmarks (sourced, bash,
# after lib.sh).
#
# The NICs of a nook-vm guest share one QEMU hub. The "peer" is a kernel-driven NIC moved
# into its own network namespace, so traffic between it and the NIC under test crosses the
# hub (QEMU's device models) and not the guest's loopback. Addresses are TEST-NET-1.

NET_LOCAL_IP=192.0.2.1
NET_PEER_IP=192.0.2.2
NET_PEER_NS=peer

# net_nic_up KIND: find the NIC under test of a kind (e1000, 8139cp, pcnet32 or e100) and a peer
# NIC of another kind (an rtl8139 for e1000, an e1000 for the others), and bring the peer up
# with its kernel driver (net_peer_up). NIC is the NIC's address. Says what is missing on
# stderr, and returns 1, when something is.
net_nic_up() {
	local ids peer_ids peer_kmod peer
	case $1 in
	e1000) ids="8086 100e" peer_ids="10ec 8139" peer_kmod=8139cp ;;
	8139cp) ids="10ec 8139" peer_ids="8086 100e" peer_kmod=e1000 ;;
	pcnet32) ids="1022 2000" peer_ids="8086 100e" peer_kmod=e1000 ;;
	e100) ids="8086 1229" peer_ids="8086 100e" peer_kmod=e1000 ;;
	*) echo "net: a NIC of kind '$1'? e1000, 8139cp, pcnet32 or e100" >&2; return 1 ;;
	esac
	NIC=$(pci_find $ids) || { echo "net: no $1 NIC in the guest" >&2; return 1; }
	peer=$(pci_find $peer_ids) ||
		{ echo "net: no peer NIC for $peer_kmod in the guest" >&2; return 1; }
	net_peer_up "$peer" "$peer_kmod" || { echo "net: the peer did not come up" >&2; return 1; }
}

# net_ifname_of BDF: the kernel interface name of the NIC at BDF (waits up to 5 s).
net_ifname_of() {
	local i
	for i in $(seq 50); do
		if [ -d "/sys/bus/pci/devices/$1/net" ]; then
			ls "/sys/bus/pci/devices/$1/net" | head -n 1
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# net_peer_up BDF KMOD: bind the peer NIC to kernel module KMOD and move it into the
# peer namespace, up, with $NET_PEER_IP.
net_peer_up() {
	local bdf=$1 kmod=$2 ifname
	modprobe "$kmod" || return 1
	ifname=$(net_ifname_of "$bdf") || { echo "net: no interface for peer $bdf ($kmod)" >&2; return 1; }
	ip netns add "$NET_PEER_NS"
	ip link set "$ifname" netns "$NET_PEER_NS"
	ip -n "$NET_PEER_NS" link set "$ifname" name peer0
	ip -n "$NET_PEER_NS" addr add "$NET_PEER_IP/24" dev peer0
	ip -n "$NET_PEER_NS" link set peer0 up
	ip -n "$NET_PEER_NS" link set lo up
}

# net_local_up IFNAME: the NIC under test, up with $NET_LOCAL_IP.
net_local_up() {
	ip addr add "$NET_LOCAL_IP/24" dev "$1" && ip link set "$1" up
}

# net_nook_up DRIVER DEVICE: start nook's DRIVER program standalone on DEVICE (bound to
# vfio-pci) as interface nook0, at the nice value nookd gives its drivers
# (daemon/supervisor.c), its log in $NOOK_OUT/driver.log and its pid in NET_NOOK_PID; then
# give nook0 the local address. Fails, showing the log, if nook0 does not appear in 10 s.
net_nook_up() {
	nice -n -10 "$1" --device "$2" --ifname nook0 > "$NOOK_OUT/driver.log" 2>&1 &
	NET_NOOK_PID=$!
	for _ in $(seq 100); do [ -e /sys/class/net/nook0 ] && break; sleep 0.1; done
	net_local_up nook0 2>/dev/null && return 0
	echo "net: $1: nook0 did not appear"
	cat "$NOOK_OUT/driver.log"
	return 1
}

# net_nook_down: stop the driver net_nook_up started, and wait (up to 5 s) until nook0 is gone,
# so the device and the interface name are free for what comes next.
net_nook_down() {
	kill "$NET_NOOK_PID"
	wait "$NET_NOOK_PID" 2>/dev/null
	for _ in $(seq 50); do [ -e /sys/class/net/nook0 ] || break; sleep 0.1; done
}

# net_peer_missed: how many received frames the peer's NIC has missed (its receive ring was
# full). Under a full TCP load the peer's kernel driver falls behind QEMU's line rate, so
# the rig itself loses frames, whichever driver sent them.
net_peer_missed() {
	ip netns exec "$NET_PEER_NS" cat /sys/class/net/peer0/statistics/rx_missed_errors
}

# net_wait_ping: wait (up to 20 s) until the peer answers a ping.
net_wait_ping() {
	local i
	for i in $(seq 40); do
		ping -c 1 -W 1 "$NET_PEER_IP" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

# net_iperf_server SECONDS: a one-shot iperf3 server in the peer namespace for a run of
# SECONDS (given up on 40 s after that), its pid in NET_IPERF_SERVER; returns once it
# listens (a loaded machine starts it slowly), or after 10 s.
net_iperf_server() {
	ip netns exec "$NET_PEER_NS" timeout $(($1 + 40)) iperf3 -s -1 -B "$NET_PEER_IP" \
		>/dev/null 2>&1 &
	NET_IPERF_SERVER=$!
	for _ in $(seq 100); do
		ip netns exec "$NET_PEER_NS" ss -Hltn 'sport = :5201' | grep -q . && return 0
		sleep 0.1
	done
}

# net_iperf SECONDS [-R]: run iperf3 TCP against a server in the peer namespace; prints
# "SENT_BYTES RECEIVED_BYTES BITS_PER_SECOND" as the receiver saw them. -R: peer sends.
net_iperf() {
	local secs=$1 json rc
	shift
	# Deadlines on both ends: a driver that dies mid-test must fail it, not hang it.
	net_iperf_server "$secs"
	local server=$NET_IPERF_SERVER
	json=$(timeout $((secs + 30)) iperf3 -c "$NET_PEER_IP" -t "$secs" -J --connect-timeout 5000 "$@")
	rc=$?
	wait "$server"
	[ $rc -eq 0 ] || { echo "net: iperf3 failed: $json" >&2; return 1; }
	python3 -c '
import json, sys
j = json.load(sys.stdin)
if "error" in j:
    sys.exit("net: iperf3 " + " ".join(sys.argv[1:]) + ": " + j["error"])
end = j["end"]
print(end["sum_sent"]["bytes"], end["sum_received"]["bytes"], int(end["sum_received"]["bits_per_second"]))
' "$@" <<<"$json"
}

# net_count_foreign IFNAME [WAIT]: how many frames addressed to a foreign MAC
# (02:00:00:00:00:77) reach IFNAME. A NIC's address filter drops them unless its driver
# turned promiscuous mode on. Once a listener on IFNAME is bound, the peer sends 8 of them
# and then a marker frame to IFNAME's own MAC; frames cross the hub, the NIC and the driver
# in order, so when the marker is in, every foreign frame the NIC let through is in too,
# however slow the guest. Prints the count. With WAIT (seconds), rounds are repeated until
# at least one foreign frame has arrived or WAIT has passed (for a setting on its way to
# the driver); with WAIT and "none", until a round in which none arrived (for promiscuous
# mode on its way off), printing that round's count. Prints "no-marker" and fails if a
# round's marker never arrives ("peer-cannot-send" if the peer could not send).
net_count_foreign() {
	python3 - "$1" "${2:-0}" "$NET_PEER_NS" "${3:-}" <<'PY'
import os, socket, subprocess, sys, time

ifname, wait, ns, until_none = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4] == "none"
FOREIGN = bytes.fromhex("020000000077")
ETHERTYPE = b"\x88\xb5"  # IEEE 802 local experimental
PACKET_OUTGOING = 4
# Run in the peer's namespace: 8 frames to the foreign MAC, then the marker to argv[2].
SEND = """
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("peer0", 0))
src = s.getsockname()[4]
mark = bytes.fromhex(sys.argv[1])
for i in range(8):
    s.send(bytes.fromhex("020000000077") + src + b"\\x88\\xb5" + mark + bytes([i]) + bytes(45))
    time.sleep(0.01)
s.send(bytes.fromhex(sys.argv[2]) + src + b"\\x88\\xb5" + mark + b"\\xff" + bytes(45))
"""

mac = bytes.fromhex(open(f"/sys/class/net/{ifname}/address").read().strip().replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))  # ETH_P_ALL
s.bind((ifname, 0))
deadline = time.monotonic() + wait
n = 0
while True:
    if until_none:
        n = 0
    mark = os.urandom(8)
    if subprocess.run(["ip", "netns", "exec", ns, "python3", "-c", SEND, mark.hex(),
                       mac.hex()]).returncode != 0:
        print("peer-cannot-send")
        sys.exit(1)
    # the marker: up to 10 s, or what is left of WAIT if that is longer
    end = max(time.monotonic() + 10, deadline)
    marked = False
    while not marked and time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            f, addr = s.recvfrom(2048)
        except socket.timeout:
            break
        if addr[2] == PACKET_OUTGOING:
            continue
        if f[:6] == FOREIGN:
            n += 1
        elif f[:6] == mac and f[12:14] == ETHERTYPE and f[14:22] == mark:
            marked = True
    if not marked:
        print("no-marker")
        sys.exit(1)
    if (n == 0 if until_none else n > 0) or time.monotonic() >= deadline:
        break
print(n)
PY
}

# ping_gap_ms LOG: the longest silence between answers in `ping -D` output, in ms.
ping_gap_ms() {
	awk -F'[][]' '/bytes from/ { t = $2 * 1000; if (p && t - p > g) g = t - p; p = t }
		END { printf "%d\n", g }' "$1"
}
# ping_lost LOG: requests ping sent that were not answered
ping_lost() {
	awk '/packets transmitted/ { print $1 - $4 }' "$1"
}
