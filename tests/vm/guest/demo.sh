#!/bin/bash
# The demo, inside the guest: hand each PCI device to vfio-pci and show what nook's VFIO
# backend sees of it; run Linux's e1000 in a user process; then let nookd supervise it
# through every kind of failure while data flows, and tabulate what happened; last, the
# AC97 sound card under nookd, playing through a crash and a hang.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
T=$NOOK_BUILD/common/nook-vfio

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
echo "== nookd supervising it: failures of every kind, mid-transfer"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"
export NOOK_DRIVER_PATH=$NOOK_BUILD/drivers/e1000:$NOOK_BUILD/drivers/intel8x0
nookd_bus_up && nookd_start --heartbeat-ms 200 --heartbeat-timeout-ms 1000 --max-failures 20 ||
	{ echo "   nookd did not start"; exit 1; }
nookctl attach "$e1000" --ifname nook0 | sed 's/^/   /'
net_local_up nook0
net_wait_ping
echo "   traffic: iperf3 TCP for 45 s, a 32 MiB transfer hashed at both ends, a ping every 100 ms"
ip netns exec "$NET_PEER_NS" iperf3 -s -1 -D -p 5202
ip netns exec "$NET_PEER_NS" python3 "$NOOK_SRC/tests/vm/guest/tcp-transfer.py" recv 5300 > /tmp/demo-recv.txt &
receiver=$!
sleep 0.5
ping -i 0.1 -W 1 "$NET_PEER_IP" > /tmp/nook-demo-ping.log 2>&1 &
pinger=$!
iperf3 -c "$NET_PEER_IP" -p 5202 -t 45 -J > /tmp/demo-iperf.json 2>&1 &
client=$!
python3 "$NOOK_SRC/tests/vm/guest/tcp-transfer.py" send "$NET_PEER_IP" 5300 $((32 << 20)) > /tmp/demo-send.txt &
sender=$!
sleep 2
echo
printf '   %-17s %-10s %-58s %s\n' failure "detected" "nookd's account" "recovery"
restarts=0
for how in "kill -SEGV" "kill -STOP" "inject segv" "inject abort" "inject hang" "inject leak" \
	   "inject wild-write" "inject wild-dma" "inject bad-skb"; do
	case "$how" in
	kill*) kill "${how#kill }" "$(status_field "$e1000" pid)" ;;
	inject*) nookctl inject "$e1000" "${how#inject }" > /dev/null ;;
	esac
	restarts=$((restarts + 1))
	wait_for 20 running_with "$e1000" $restarts && wait_for 20 traffic_back "$e1000"
	sleep 1
	set -- $(last_recovery "$e1000")
	printf '   %-17s %-10s %-58.58s %6s ms\n' "$how" "$1" "$(status_field "$e1000" last_failure)" \
		"${6:-?}"
done
echo "   (recovery: from detection to the first frame the new driver received; most of it is"
echo "   the e1000's own link bring-up, which the kernel's driver goes through as well)"
wait "$client"
iperf_rc=$?
wait "$sender"
wait "$receiver"
kill -INT "$pinger"; wait "$pinger" 2>/dev/null
echo
echo "   the transfers' outcome:"
python3 - "$iperf_rc" <<'PY' | sed 's/^/     /'
import json, sys
j = json.load(open('/tmp/demo-iperf.json'))
e = j['end']
print(f"iperf3: exit {sys.argv[1]}, {j.get('error') or 'no error'}, "
      f"{e['sum_received']['bytes'] / 2**20:.0f} MiB received in {e['sum_received']['seconds']:.0f} s "
      f"({e['sum_received']['bits_per_second'] / 1e6:.0f} Mbit/s)")
PY
sent=$(cat /tmp/demo-send.txt) received=$(cat /tmp/demo-recv.txt)
echo "     hashed transfer: sent $((${sent%% *} >> 20)) MiB, received $((${received%% *} >> 20)) MiB;" \
	"sha256 $([ -n "$sent" ] && [ "$sent" = "$received" ] && echo "identical" || echo "DIFFERENT")"
python3 - <<'PY' | sed 's/^/     /'
import re
log = open('/tmp/nook-demo-ping.log').read()
seqs = [int(x) for x in re.findall(r'icmp_seq=(\d+)', log)]
rtts = [float(x) for x in re.findall(r'time=([\d.]+) ms', log)]
m = re.search(r'(\d+) packets transmitted', log)
sent = int(m.group(1)) if m else max(seqs)
print(f"ping: {sent} sent, {len(set(seqs))} answered, {sent - len(set(seqs))} lost; those sent while "
      f"a driver was down waited in nook0's queue (the longest {max(rtts) / 1000:.1f} s)")
PY
echo "   nook0 kept its ifindex and address throughout: $(ip -brief addr show nook0)"
echo "   the guest kernel logged no oops: $(dmesg | grep -Eq 'Oops|BUG:|Call Trace' && echo no || echo yes)"
echo
nookctl status "$e1000" | sed 's/^/   /'
nookctl detach "$e1000" | sed 's/^/   /'

echo
echo "== nookd supervising Linux's snd-intel8x0 (the AC97): aplay through a crash and a hang"
. "$NOOK_SRC/tests/vm/guest/sound.sh"
ac=$(pci_find 8086 2415)
nookctl attach "$ac" | sed 's/^/   /'
dev="nook:DEV=$ac"
sound_tone /tmp/demo-tone.wav 44100 4 440
aplay -q -D "$dev" /tmp/demo-tone.wav
amixer -q -D "$dev" sset Master 100% unmute && amixer -q -D "$dev" sset PCM 100% unmute &&
	amixer -q -D "$dev" sset Master 75%
echo "   aplay -D $dev plays a 4 s tone three times: the last two with the driver failing 1.5 s in"
for fault in segv hang; do
	aplay -q -D "$dev" /tmp/demo-tone.wav &
	player=$!
	sleep 1.5
	nookctl inject "$ac" "$fault" > /dev/null
	wait "$player"
	rc=$?
	wait_for 20 traffic_back "$ac"
	gap=$(stood_still "$ac" | tail -n 1)
	set -- $(last_recovery "$ac")
	printf '   %-5s aplay exit %s; its stream stood still for %s ms; sounding again %s ms after nookd saw the %s\n' \
		"$fault" "$rc" "${gap:-?}" "${5:-?}" "${1:-failure}"
done
echo "   Master after two restarts: $(amixer -D "$dev" sget Master | grep -o '\[[0-9]*%\].*' | head -n 1)"
echo "   (QEMU recorded what the card played in the results directory: ac97.wav)"
nookctl status "$ac" | sed 's/^/   /'
nookctl detach "$ac" | sed 's/^/   /'
nookd_stop
