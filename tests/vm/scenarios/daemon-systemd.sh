#!/bin/bash
# VM scenario under real systemd (nook-vm -s): nookd as the installed nookd.service, with
# udev having bound the kernel's own drivers. Attach takes the e1000 from the kernel's e1000
# driver and detach gives it back; the same for the AC97, served on /run/nook/sound; nookctl
# scan names every device; devices.d at restart.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"
. "$NOOK_SRC/tests/vm/guest/sound.sh"

[ "$(cat /proc/1/comm)" = systemd ] || fatal "not booted with systemd (nook-vm -s)"
e1000=$(pci_find 8086 100e) || fatal "no e1000 in the guest"
rtl=$(pci_find 10ec 8139) || fatal "no rtl8139 in the guest"
ac97=$(pci_find 8086 2415) || fatal "no AC97 in the guest"
es1370=$(pci_find 1274 5000) || fatal "no ES1370 in the guest"
udevadm settle
trap 'echo "# journal of nookd:"; journalctl -u nookd --no-pager | tail -40 | sed "s/^/#   /"' EXIT
check "udev bound the kernel's e1000 driver to the e1000" test "$(pci_driver "$e1000")" = e1000

# nookctl scan: every device, its kernel driver and which nook driver would take it.
scan=$(nookctl scan)
echo "$scan" | sed 's/^/# /'
check "scan names the e1000, its kernel driver, nook's driver, no nook state, its interface" \
	grep -qE "^$e1000 +8086:100e +e1000 +[0-9]+ +e1000 +- +[a-z0-9]+ +Intel Corporation 82540EM" <<< "$scan"
check "scan names the rtl8139 (kernel 8139cp, no nook driver)" \
	grep -qE "^$rtl +10ec:8139 +8139cp +[0-9]+ +- +- +[a-z0-9]+ +Realtek" <<< "$scan"
check "scan names the AC97" grep -qE "^$ac97 +8086:2415 .*82801AA AC'97 Audio" <<< "$scan"
check "scan names the ES1370" grep -qE "^$es1370 +1274:5000 .*ES1370" <<< "$scan"

# Install nookd's unit and bus policy as meson install would, pointing at the build tree.
rm -f /etc/systemd/system/nookd.service
cp "$NOOK_BUILD/daemon/nookd.service" /etc/systemd/system/nookd.service
mkdir -p /etc/systemd/system/nookd.service.d /etc/dbus-1/system.d
cp "$NOOK_SRC/daemon/data/org.nook.Nook1.conf" /etc/dbus-1/system.d/
cat > /etc/systemd/system/nookd.service.d/build-tree.conf <<UNIT
[Service]
ExecStart=
ExecStart=$NOOK_BUILD/daemon/nookd --driver-path $NOOK_BUILD/drivers/e1000:$NOOK_BUILD/drivers/intel8x0 --heartbeat-ms 200 --heartbeat-timeout-ms 1500
# The build tree may live under /tmp.
PrivateTmp=no
UNIT
# What modules-load.d/nook.conf does at boot:
modprobe -a vfio-pci tun
systemctl daemon-reload
systemctl is-active --quiet dbus && systemctl reload dbus

net_peer_up "$rtl" 8139cp || fatal "the peer did not come up"
check "systemctl start nookd" systemctl start nookd
check "nookd is active (Type=notify: it said READY)" systemctl is-active --quiet nookd
check "it reports a status line" sh -c "systemctl show -p StatusText nookd | grep -q 'device(s)'"
check "it has a watchdog" sh -c "systemctl show -p WatchdogUSec nookd | grep -qv '=0$'"

out=$(nookctl attach "$e1000" --ifname nook0 2>&1)
echo "# $out"
grep -q "e1000 is running" <<< "$out" || fatal "nookctl attach did not start the driver"
check "nookctl attach took the e1000 from the kernel driver" test "$(pci_driver "$e1000")" = vfio-pci
check "status names the kernel driver it had" test "$(status_field "$e1000" kernel_driver)" = e1000
net_local_up nook0
check "ping through nook0 under systemd's nookd" net_wait_ping
scan=$(nookctl scan 2>&1)
check "scan now says nook serves the e1000, as nook0 ($(grep "^$e1000" <<< "$scan" | tr -s ' '))" \
	grep -qE "^$e1000 +8086:100e +vfio-pci +[0-9]+ +e1000 +running +nook0 +Intel" <<< "$scan"
check "the driver's log reaches the journal" sh -c \
	"journalctl -u nookd --no-pager | grep -q 'nook0: Intel(R) PRO/1000 Network Connection'"

pid=$(status_field "$e1000" pid)
kill -SEGV "$pid"
check "a crash under systemd's nookd is recovered" wait_for 15 sh -c \
	"[ \"\$($NOOK_BUILD/ctl/nookctl status $e1000 --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s[\"state\"], s[\"restarts\"])')\" = 'running 1' ]"
check "ping works after it" net_wait_ping
# The journal has the failure as an administrator looks for it: at warning, about the device.
journal_has() { # PRIORITY MESSAGE_ID TEXT: an entry of nookd's about the e1000
	journalctl -u nookd -p "$1" -o json --no-pager | python3 -c '
import json, sys
want_id, text, dev = sys.argv[1:4]
sys.exit(0 if any(e.get("MESSAGE_ID") == want_id and e.get("NOOK_DEVICE") == dev and
                  e.get("NOOK_DRIVER") == "e1000" and text in e.get("MESSAGE", "")
                  for e in map(json.loads, sys.stdin)) else 1)' "$2" "$3" "$e1000"
}
check "journalctl -u nookd -p warning shows the failure, the device as NOOK_DEVICE" \
	journal_has warning 01d08bf23dda4576968bd097b7449d9a "driver failed: killed by SIGSEGV"
check "... and, at notice, its recovery" \
	journal_has notice 9293491bb88b4132a5d369b0a65ed41c "is running again"
# nookctl status shows it as systemctl status shows a unit: since when, and the last lines.
out=$(nookctl status "$e1000" 2>&1)
echo "$out" | sed 's/^/#   /'
check "nookctl status says since when it runs ($(grep -m1 'state:' <<< "$out" | tr -s ' '))" \
	grep -qE "state: +running since [A-Z][a-z]{2} [0-9-]{10} [0-9:]{8} .*; [0-9]+s ago" <<< "$out"
out=$(nookctl status "$e1000" --lines 40 | tail -n 40)
check "... and ends with the device's last log lines: the crash among them" grep -qE \
	"^[A-Z][a-z]{2} [0-9]{2} [0-9:]{8} nookd\[[0-9]+\]: [0-9a-f:.]+: driver failed: killed by SIGSEGV" <<< "$out"
check "... as many as --lines asks" test "$(nookctl status "$e1000" --lines 3 | grep -c ' nookd\[')" = 3

out=$(nookctl detach "$e1000" 2>&1)
check "detach ($out)" test $? -eq 0
check "the kernel's e1000 driver has the device again" test "$(pci_driver "$e1000")" = e1000

# A sound card under systemd's nookd: its socket in the unit's runtime directory.
kdrv=$(pci_driver "$ac97")
echo "# the AC97's kernel driver: ${kdrv:-none}"
out=$(nookctl attach "$ac97" 2>&1)
echo "# $out"
check "nookctl attach takes the AC97 and runs intel8x0" grep -q "intel8x0 is running" <<< "$out"
check "nookd serves it on /run/nook/sound (its RuntimeDirectory)" test -S "/run/nook/sound/$ac97"
sound_tone /tmp/tone.wav 44100 1 440
# A codec comes out of reset muted (alsactl unmutes a kernel card at boot): unmuted here.
check "amixer unmutes Master and PCM" sh -c "amixer -q -D 'nook:DEV=$ac97' sset Master 100% unmute &&
	amixer -q -D 'nook:DEV=$ac97' sset PCM 100% unmute"
# Played, not swallowed: a second's tone takes its second, with no error or underrun on the
# way, and the card played it (QEMU records what the AC97 plays; sound-tones checks it).
t0=$(date +%s%N)
timeout 20 aplay -q -D "nook:DEV=$ac97" /tmp/tone.wav 2> /tmp/aplay.err
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "# aplay: exit $rc after $ms ms: $(tr '\n' ' ' < /tmp/aplay.err)"
check "aplay plays through it (exit 0, no error output)" test "$rc" = 0 -a ! -s /tmp/aplay.err
check "for the tone's length: $ms ms of 1000" test "$ms" -ge 950
echo "440:1" > "$NOOK_OUT/ac97.expect"
out=$(nookctl detach "$ac97" 2>&1)
check "detach the AC97 ($out)" test $? -eq 0
check "its socket is gone" test ! -e "/run/nook/sound/$ac97"
check "its kernel driver has it again (${kdrv:-none})" test "$(pci_driver "$ac97")" = "$kdrv"

# devices.d: attached when nookd (re)starts; systemctl stop gives the device back.
mkdir -p /etc/nook/devices.d
printf 'address=%s\nifname=nook1\n' "$e1000" > /etc/nook/devices.d/lab.conf
check "systemctl restart nookd" systemctl restart nookd
check "the devices.d device is attached at start" wait_state "$e1000" running 20
check "with its interface" test -e /sys/class/net/nook1
check "systemctl stop nookd" systemctl stop nookd
check "stop detached it: the kernel's e1000 has it" test "$(pci_driver "$e1000")" = e1000
check "nook1 is gone" test ! -e /sys/class/net/nook1
summary
