#!/bin/bash
# VM scenario: what the administrator set survives a driver's crash. MTU 1400, a new MAC,
# promiscuous mode and ethtool ring sizes are set before a crash; after nookd restarts the
# driver each is in effect again, proved by behaviour and by the new driver itself: its own
# net_device has MTU 1400 (read with gdb: the interface keeps its MTU whatever the driver
# has), frames for a foreign MAC arrive, the peer reaches the new MAC with promiscuous mode
# off (so the NIC's own filter has it), and the new driver reports the rings.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"

nookd_nic_up --heartbeat-ms 200 --heartbeat-timeout-ms 3000 # gdb stops the driver a moment
nic=$NIC

ring() { nookctl ethtool "$nic" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
# don't-fragment pings of a whole IP packet of $1 bytes
df_ping() { ping -c 2 -W 2 -M do -s $(($1 - 28)) "$NET_PEER_IP" > /dev/null 2>&1; }
df_ping_fails() { ! df_ping "$1"; }
# the MTU the running driver's own net_device has
driver_mtu() { driver_gdb_call "$nic" "nook_netdev_mtu('netdev-shim.c'::S.dev)" | sed -n 's/^\$1 = //p'; }

rx_default=$(ring ring-rx)
out=$(nookctl ethtool "$nic" --set ring-rx=128 --set ring-tx=96 2>&1)
check "ethtool --set ring-rx=128 ring-tx=96 is taken (default rx $rx_default)" \
	test "$(ring ring-rx) $(ring ring-tx)" = "128 96"
out=$(nookctl ethtool "$nic" --set speed=10 2>&1)
check "an unknown setting is refused by name ($out)" grep -q "unknown setting 'speed'" <<< "$out"
out=$(nookctl ethtool "$nic" --set ring-rx=100000 2>&1)
check "a ring larger than the NIC's is refused by the driver ($out)" grep -q "refused" <<< "$out"
check "... and changes nothing" test "$(ring ring-rx)" = 128
ip link set nook0 mtu 1400
ip link set nook0 address 52:54:00:00:00:99
ip link set nook0 promisc on
net_wait_ping
check "before the crash: a 1400-byte DF ping passes" df_ping 1400
check "... a 1401-byte one does not" df_ping_fails 1401
mtu=$(driver_mtu)
check "... the driver itself has MTU 1400 ($mtu)" test "$mtu" = 1400

nookctl inject "$nic" segv > /dev/null
ping -c 5 -i 0.2 -W 1 "$NET_PEER_IP" > /dev/null 2>&1
check "the crash was detected and the driver restarted" wait_for 20 running_with "$nic" 1
check "traffic flows again" wait_for 20 traffic_back "$nic"
echo "# recovery: $(last_recovery "$nic")"

check "after it: the new driver reports the rings set before (rx 128, tx 96)" \
	test "$(ring ring-rx) $(ring ring-tx)" = "128 96"
mtu=$(driver_mtu)
check "... MTU 1400 reached the new driver: its net_device has $mtu" test "$mtu" = 1400
check "... a 1400-byte DF ping passes" df_ping 1400
check "... and a 1401-byte one does not" df_ping_fails 1401
foreign=$(net_count_foreign nook0)
check "... promiscuous mode holds: frames for a foreign MAC arrive ($foreign)" test "$foreign" -gt 0
ip link set nook0 promisc off
foreign=$(net_count_foreign nook0 10 none)
check "... and turning it off still reaches the new driver ($foreign)" test "$foreign" -eq 0
# Promiscuous mode off: only a NIC whose filter has the new MAC lets the peer's frames in.
ip -n "$NET_PEER_NS" neigh flush all
check "... the peer, told only what ARP says, reaches the new MAC" net_wait_ping
check "... and learned 52:54:00:00:00:99" \
	sh -c "ip -n $NET_PEER_NS neigh show $NET_LOCAL_IP | grep -q 52:54:00:00:00:99"
nookd_stop
summary
