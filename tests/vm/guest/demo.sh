#!/bin/bash
# The demo, inside the guest: hand each PCI device to vfio-pci and show what nook's VFIO
# backend sees of it; run Linux's e1000 in a user process; then let nookd supervise it
# through a crash and a hang while ping runs.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
T=$NOOK_BUILD/shims/vfio/nook-vfio

echo "== The guest's PCI devices (QEMU's models, each behind its own PCIe root port)"
lspci -nn | grep -vE 'bridge|Virtio|SATA|SMBus|PCI bridge|Host'
echo
modprobe vfio-pci
for ids in 1234:11e8 8086:100e 10ec:8139 1274:5000 8086:2415; do
	bdf=$(pci_find "${ids%:*}" "${ids#*:}") || continue
	name=$(lspci -s "$bdf" | cut -d' ' -f2-)
	echo "== $bdf  $name"
	vfio_bind "$bdf" || { echo "   could not bind it to vfio-pci"; continue; }
	"$T" info "$bdf" | sed 's/^/   /'
	case "$ids" in
	1234:11e8) echo "   edu identification register (BAR0+0x0): $("$T" read "$bdf" 0 0)" ;;
	8086:100e) echo "   e1000 MAC in RAL0/RAH0 (BAR0+0x5400): $("$T" read "$bdf" 0 0x5400) $("$T" read "$bdf" 0 0x5404)" ;;
	1274:5000) echo "   ES1370 status register (I/O BAR0+0x4): $("$T" read "$bdf" 0 4)" ;;
	esac
	echo
done
echo "== QEMU's edu device driven from user space through VFIO and the IOMMU"
edu=$(pci_find 1234 11e8) && "$NOOK_BUILD/tests/vm/progs/edu-check" "$edu" | sed 's/^/   /'
echo "   guest kernel on the refused DMA: $(dmesg | grep -m1 'DMA Write' | sed 's/^\[[^]]*\] //')"

echo
echo "== Linux's e1000 driver, unmodified, in a user process (nook-driver-e1000)"
. "$NOOK_SRC/tests/vm/guest/net.sh"
e1000=$(pci_find 8086 100e)
rtl=$(pci_find 10ec 8139)
# The rtl8139 goes back to the kernel (8139cp) to be the peer, in its own namespace.
vfio_unbind "$rtl"
modprobe 8139cp
echo "$rtl" > /sys/bus/pci/drivers_probe
net_peer_up "$rtl" 8139cp || echo "   the peer did not come up"
modprobe tun
"$NOOK_BUILD/drivers/e1000/nook-driver-e1000" --device "$e1000" --ifname nook0 > /tmp/nook-demo-driver.log 2>&1 &
driver=$!
wait_for 10 test -e /sys/class/net/nook0
net_local_up nook0
net_wait_ping
sed 's/^/   driver: /' /tmp/nook-demo-driver.log
ip -brief link show nook0 | sed 's/^/   /'
ip -brief addr show nook0 | sed 's/^/   /'
ping -c 5 -i 0.2 "$NET_PEER_IP" | tail -2 | sed 's/^/   /'
kill "$driver"
wait "$driver" && echo "   driver stopped on SIGTERM; nook0 is gone: $([ -e /sys/class/net/nook0 ] && echo no || echo yes)"

echo
echo "== nookd supervising it: faults injected into the driver while ping runs"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"
nookd_bus_up && nookd_start --heartbeat-ms 200 --heartbeat-timeout-ms 1000 --max-failures 10 ||
	{ echo "   nookd did not start"; exit 1; }
nookctl attach "$e1000" --ifname nook0 | sed 's/^/   /'
net_local_up nook0
net_wait_ping
ping -i 0.1 -W 1 "$NET_PEER_IP" > /tmp/nook-demo-ping.log 2>&1 &
pinger=$!
sleep 2
# ping -i 0.1: pings sent so far (the last sequence number) minus the answers.
lost() { echo $(( $(grep -o 'icmp_seq=[0-9]*' /tmp/nook-demo-ping.log | tail -1 | cut -d= -f2) - $(grep -c 'bytes from' /tmp/nook-demo-ping.log) )); }
printf '   %-17s %-58s %-9s %s\n' failure "nookd's account" recovery "pings lost (of 10/s)"
for how in "kill -SEGV" "kill -STOP" "inject segv" "inject hang" "inject wild-write"; do
	before=$(status_field "$e1000" restarts)
	lost0=$(lost)
	case "$how" in
	kill*) kill "${how#kill }" "$(status_field "$e1000" pid)" ;;
	inject*) nookctl inject "$e1000" "${how#inject }" > /dev/null ;;
	esac
	wait_for 20 sh -c "[ \"\$($NOOK_BUILD/ctl/nookctl status $e1000 --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s[\"state\"], s[\"restarts\"])')\" = 'running $((before + 1))' ]"
	net_wait_ping
	sleep 2
	printf '   %-17s %-58.58s %-9s %s\n' "$how" "$(status_field "$e1000" last_failure)" \
		"$(status_field "$e1000" last_recovery_ms) ms" "$(( $(lost) - lost0 ))"
done
kill -INT "$pinger"; wait "$pinger" 2>/dev/null
tail -2 /tmp/nook-demo-ping.log | sed 's/^/   /'
echo "   nook0 kept its ifindex and address throughout: $(ip -brief addr show nook0)"
nookctl status "$e1000" | sed 's/^/   /'
nookctl detach "$e1000" | sed 's/^/   /'
nookd_stop
