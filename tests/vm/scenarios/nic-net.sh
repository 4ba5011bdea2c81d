#!/bin/bash
# VM scenario: a Linux NIC driver, unmodified, driven by nook from a user process, passing
# traffic to a kernel-driven peer NIC on the same QEMU hub. NOOK_NIC says which:
#   e1000   QEMU's e1000 (the first NIC), the peer an rtl8139 with the kernel's 8139cp;
#   8139cp  QEMU's rtl8139 (the first NIC), the peer an e1000 with the kernel's e1000;
#   pcnet32 QEMU's pcnet (the first NIC), the peer an e1000 with the kernel's e1000;
#   e100    QEMU's i82557b (the first NIC), the peer an e1000 with the kernel's e1000.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
nic=${NOOK_NIC:-e1000}
# mtu_seen: what the driver logs (with --debug) once ip link's MTU change reached it, and
# how many such lines there are by then. 8139cp restarts a running NIC for a new MTU: its
# second "enabling interface" (with debug=0x37, its ifup messages on).
# pcnet32 and e100 have no MTU callback (their buffers take any frame up to 1544 and 1518
# bytes); pcnet32 takes a new MAC only while the interface is down (eth_mac_addr without
# IFF_LIVE_ADDR_CHANGE), as under Linux.
mac_down=
case $nic in
e1000) params="" mtu_seen="changing MTU from 1500 to 1400" mtu_lines=1 ;;
8139cp) params="debug=0x37" mtu_seen="enabling interface" mtu_lines=2 ;;
pcnet32) params="" mtu_seen= mac_down=yes ;;
e100) params="" mtu_seen= ;;
esac
driver=$NOOK_BUILD/drivers/$nic/nook-driver-$nic
log=$NOOK_OUT/driver.log

# What a failed check leaves to go on: both ends' counters, the neighbours, whether the NIC
# still interrupts (vfio-intx's count, DisINTx and the pending interrupt in its PCI command
# and status), the driver's last lines (debug included).
on_failure() {
	ip -s link show nook0
	ip netns exec "$NET_PEER_NS" ip -s link show peer0
	ip neigh show dev nook0
	grep vfio /proc/interrupts
	lspci -vvs "$dev" | grep -E '^\s*(Control|Status):'
	tail -n 30 "$log"
}

net_nic_up "$nic" || fatal "no $nic NIC and peer to test with"
dev=$NIC
modprobe tun || fatal "no tun module"
vfio_bind "$dev" || fatal "cannot bind $dev to vfio-pci"

# --debug: the driver's debug lines (e.g. its MTU change) go to the log too.
"$driver" --device "$dev" --ifname nook0 --debug $params > "$log" 2>&1 &
pid=$!
wait_for 10 test -e /sys/class/net/nook0
check "nook0 appears" test -e /sys/class/net/nook0
check "its MAC is the one QEMU gave the $nic (read from the EEPROM)" \
	test "$(cat /sys/class/net/nook0/address)" = 52:54:00:00:00:10
net_local_up nook0
wait_for 10 grep -qx 1 /sys/class/net/nook0/carrier
check "carrier is up" grep -qx 1 /sys/class/net/nook0/carrier
net_wait_ping
check "ping: 100 packets, no loss" sh -c "ping -c 100 -i 0.02 -W 2 $NET_PEER_IP | grep -q ' 0% packet loss'"
# iperf3 prints "sent received bits/s"; a run that completes moves data both ends agree on.
tx=$(net_iperf 10)
check "iperf3 TCP 10 s guest -> peer completes (${tx:-failed})" test -n "$tx"
rx=$(net_iperf 10 -R)
check "iperf3 TCP 10 s peer -> guest completes (${rx:-failed})" test -n "$rx"

ip link set nook0 mtu 1400
[ -z "$mtu_seen" ] ||
	check "MTU 1400 set with ip link reached the driver" wait_for 5 \
		sh -c "[ \$(grep -c '$mtu_seen' $log) -ge $mtu_lines ]"
check "a 1400-byte don't-fragment ping passes" ping -c 3 -M do -s 1372 -W 2 "$NET_PEER_IP"

# A new MAC set with ip link must reach the NIC's address filter: the peer, told nothing but
# what ARP answers, reaches us at the new address only if the driver programmed it.
if [ -n "$mac_down" ]; then
	# Refused while up: said so, and nook0 keeps the MAC the NIC has.
	ip link set nook0 address 52:54:00:00:00:99
	check "a MAC change while up: the driver's refusal is logged" \
		wait_for 5 grep -q "nook0: the driver refused a link change: Device or resource busy" "$log"
	check "... and nook0 shows the NIC's MAC again" wait_for 5 \
		sh -c "[ \$(cat /sys/class/net/nook0/address) = 52:54:00:00:00:10 ]"
	check "... and traffic still flows" net_wait_ping
	ip link set nook0 down
	ip link set nook0 address 52:54:00:00:00:99
	ip link set nook0 up
	wait_for 10 grep -qx 1 /sys/class/net/nook0/carrier
else
	ip link set nook0 address 52:54:00:00:00:99
fi
ip -n "$NET_PEER_NS" neigh flush all
check "after a MAC change the peer reaches us at the new MAC" net_wait_ping
check "... and the peer learned 52:54:00:00:00:99" \
	sh -c "ip -n $NET_PEER_NS neigh show $NET_LOCAL_IP | grep -q 52:54:00:00:00:99"

# Promiscuous mode must reach the NIC too: frames for a foreign MAC are dropped by the
# NIC's filter unless the driver turned it off. Without it not one may get through; with
# it they must, once the setting has gone from ip link through the driver to the NIC,
# which on a busy guest takes a while: up to 10 s.
foreign_off=$(net_count_foreign nook0)
ip link set nook0 promisc on
foreign_on=$(net_count_foreign nook0 10)
ip link set nook0 promisc off
check "frames for a foreign MAC: none without promiscuous mode ($foreign_off)" test "$foreign_off" -eq 0
check "... and they arrive once ip link turns promiscuous mode on ($foreign_on)" test "$foreign_on" -gt 0

for i in 1 2 3 4 5; do
	ip link set nook0 down; ip link set nook0 up
	wait_for 10 grep -qx 1 /sys/class/net/nook0/carrier
	check "down/up #$i: traffic flows" net_wait_ping
done

kill "$pid"
wait "$pid"
check "the driver exits 0 on SIGTERM" test $? -eq 0
check "... and takes nook0 with it" test ! -e /sys/class/net/nook0
check "the driver logged no fatal error" sh -c "! grep -q FATAL $log"
echo "# driver log (without debug lines):"
grep -v "^<7>" "$log" | sed 's/^/#   /'
summary
