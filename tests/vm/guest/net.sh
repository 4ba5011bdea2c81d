# Guest-side network helpers for nook's VM scenarios and benchmarks (sourced, bash,
# after lib.sh).
#
# The NICs of a nook-vm guest share one QEMU hub. The "peer" is a kernel-driven NIC moved
# into its own network namespace, so traffic between it and the NIC under test crosses the
# hub (QEMU's device models) and not the guest's loopback. Addresses are TEST-NET-1.

NET_LOCAL_IP=192.0.2.1
NET_PEER_IP=192.0.2.2
NET_PEER_NS=peer

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

# net_iperf SECONDS [-R]: run iperf3 TCP against a server in the peer namespace; prints
# "SENT_BYTES RECEIVED_BYTES BITS_PER_SECOND" as the receiver saw them. -R: peer sends.
net_iperf() {
	local secs=$1 json rc
	shift
	# Deadlines on both ends: a driver that dies mid-test must fail it, not hang it.
	ip netns exec "$NET_PEER_NS" timeout $((secs + 40)) iperf3 -s -1 -B "$NET_PEER_IP" >/dev/null 2>&1 &
	local server=$!
	sleep 0.5
	json=$(timeout $((secs + 30)) iperf3 -c "$NET_PEER_IP" -t "$secs" -J --connect-timeout 5000 "$@")
	rc=$?
	wait "$server"
	[ $rc -eq 0 ] || { echo "net: iperf3 failed: $json" >&2; return 1; }
	python3 -c '
import json, sys
end = json.load(sys.stdin)["end"]
print(end["sum_sent"]["bytes"], end["sum_received"]["bytes"], int(end["sum_received"]["bits_per_second"]))
' <<<"$json"
}

# net_count_foreign IFNAME SECONDS: how many frames addressed to a foreign MAC
# (02:00:00:00:00:77) reach IFNAME while the peer sends to it for SECONDS. A NIC's address
# filter drops them unless its driver turned promiscuous mode on.
net_count_foreign() {
	ip -n "$NET_PEER_NS" neigh replace 192.0.2.77 lladdr 02:00:00:00:00:77 dev peer0
	python3 - "$1" "$2" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((sys.argv[1], 0))
s.settimeout(0.2)
end, n = time.time() + float(sys.argv[2]), 0
while time.time() < end:
    try:
        f = s.recv(2048)
    except socket.timeout:
        continue
    n += f[:6] == bytes.fromhex("020000000077")
print(n)
PY
	local lp=$!
	sleep 0.3
	ip netns exec "$NET_PEER_NS" ping -c 8 -i 0.1 -W 1 192.0.2.77 >/dev/null 2>&1
	wait "$lp"
}
