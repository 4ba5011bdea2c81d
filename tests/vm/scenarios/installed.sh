#!/bin/bash
# VM scenario under real systemd (nook-vm -s): nook only as `meson install` leaves it. The
# build tree is installed into the guest (its root is a throwaway overlay of the host's), then
# everything goes the way an administrator's would: no module loaded by hand, no
# ALSA_CONFIG_PATH, no driver path, nookctl from PATH. systemctl start nookd, nookctl attach
# a NIC and a sound card, ping through the one, aplay and amixer through the other.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"

[ "$(cat /proc/1/comm)" = systemd ] || fatal "not booted with systemd (nook-vm -s)"
unset ALSA_CONFIG_PATH NOOK_DRIVER_PATH NOOK_SOUND_DIR LD_LIBRARY_PATH
e1000=$(pci_find 8086 100e) || fatal "no e1000 in the guest"
rtl=$(pci_find 10ec 8139) || fatal "no rtl8139 in the guest"
ac97=$(pci_find 8086 2415) || fatal "no AC97 in the guest"
udevadm settle
trap 'echo "# journal of nookd:"; journalctl -u nookd --no-pager | tail -80 | sed "s/^/#   /"' EXIT
status_field() {
	nookctl status "$1" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"
}

check "meson install" meson install -C "$NOOK_BUILD" --no-rebuild --quiet
# What a package's scripts do after installing: the unit's user, the units, the bus policy.
systemd-sysusers
rm -f /etc/systemd/system/nookd.service # the test rig masks it at boot
systemctl daemon-reload
systemctl is-active --quiet dbus && systemctl reload dbus # (else it starts with the policy)
# As right after installation, before any reboot: neither vfio-pci nor tun is loaded.
modprobe -r vfio-pci tun 2> /dev/null
check "before nookd starts, vfio-pci and tun are not loaded" \
	test ! -e /sys/bus/pci/drivers/vfio-pci -a ! -e /sys/module/tun
check "nookctl is the installed one" test "$(command -v nookctl)" = /usr/local/bin/nookctl
# The conventions an administrator expects of an installed daemon and its tools.
for page in nookd nookctl nook-vfio nook-driver nook-driver-e1000 nook.conf; do
	# (Debian's /usr/local/man is a link to /usr/local/share/man, where meson installs)
	check "man $page finds the installed page" \
		sh -c "readlink -f \"\$(man -w $page)\" | grep -q '^/usr/local/share/man/man[58]/'"
done
out=$(systemd-analyze verify /usr/local/lib/systemd/system/nookd.service 2>&1)
rc=$?
echo "# systemd-analyze verify: exit $rc: $(grep -i nook <<< "$out" | tr '\n' ' ')"
check "systemd-analyze verify nookd.service: clean" \
	test "$rc" = 0 -a -z "$(grep -i nook <<< "$out")"
check "nookctl --version" sh -c "nookctl --version | grep -q '^nookctl (nook) [0-9]'"
check "nookctl attach --help shows attach's usage, and exits 0" \
	sh -c "nookctl attach --help | grep -q 'attach BDF \\[--driver NAME\\]'"
check "a malformed address is a usage error (exit 2), said before nookd is asked" \
	sh -c "nookctl status 00:zz.0 2> /tmp/addr.err; test \$? = 2 && grep -q 'not a PCI address' /tmp/addr.err"
check "nookctl's bash completion is installed and completes its commands" \
	bash -c ". /usr/local/share/bash-completion/completions/nookctl &&
		COMP_WORDS=(nookctl res) COMP_CWORD=1 COMP_LINE='nookctl res' COMP_POINT=11 &&
		_nookctl nookctl res nookctl 2>/dev/null; printf '%s\n' \"\${COMPREPLY[@]}\" |
		grep -qx restart"

check "systemctl start nookd" systemctl start nookd
check "nookd is active" systemctl is-active --quiet nookd
out=$(nookctl attach "$e1000" --ifname nook0 --persist 2>&1)
echo "# $out"
check "nookctl attach takes the e1000 from the kernel's driver" grep -q "e1000 is running" <<< "$out"
entry=/etc/nook/devices.d/$e1000.conf
check "... and --persist writes its entry ($entry)" \
	sh -c "grep -qx 'address=$e1000' '$entry' && grep -qx 'ifname=nook0' '$entry'"
check "... with the installed driver program" \
	sh -c "tr '\\0' ' ' < /proc/$(status_field "$e1000" pid)/cmdline | grep -q '^/usr/local/libexec/nook/nook-driver-e1000 '"
# Each driver process, and its standby, in a scope of its own: its own cgroup and limits.
in_own_scope() {
	local pid
	pid=$(status_field "$e1000" "$1")
	[ "$pid" != 0 ] &&
		grep -q "/system.slice/nook-driver-$e1000-$pid.scope\$" "/proc/$pid/cgroup" &&
		[ "$(systemctl show -p MemoryMax --value "nook-driver-$e1000-$pid.scope")" = 268435456 ] &&
		[ "$(systemctl show -p TasksMax --value "nook-driver-$e1000-$pid.scope")" = 64 ]
}
check "the e1000's driver runs in its own scope, nook-driver-BDF-PID.scope: 256 MiB, 64 tasks" \
	wait_for 10 in_own_scope pid
check "... and so does its standby" wait_for 20 in_own_scope standby_pid
net_peer_up "$rtl" 8139cp || fatal "the peer did not come up"
net_local_up nook0
check "ping through nook0" net_wait_ping
# A user who is not root reads what nook does, and is told that changes are root's.
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }
out=$(as_nobody nookctl status "$e1000" 2>&1)
check "nobody reads nookctl status ($(grep -m1 state: <<< "$out" | tr -s ' '))" \
	grep -q "state: *running" <<< "$out"
check "... and is told where the device's log is, and who may read it" \
	grep -q "Hint: nookd's log of this device is in the system journal" <<< "$out"
check "nobody reads nookctl list" sh -c "setpriv --reuid 65534 --regid 65534 --clear-groups \
	nookctl list | grep -q '$e1000'"
out=$(as_nobody nookctl restart "$e1000" 2>&1)
rc=$?
echo "# nobody: nookctl restart: exit $rc: $out"
# polkit is asked, and wants an administrator to authenticate: nobody has no agent.
check "nobody is refused a restart, told who may and why polkit said no (exit 1)" \
	test "$rc" = 1 -a -n "$(grep 'only root, or a user polkit authorizes for org.nook.Nook1.manage, may manage nook devices.*polkit wants the caller to authenticate' <<< "$out")"
out=$(as_nobody nookctl attach "$rtl" 2>&1)
check "... and an attach" grep -q "may manage nook devices" <<< "$out"
# A polkit rule that grants the installed action lets nobody restart the NIC.
mkdir -p /etc/polkit-1/rules.d
cat > /etc/polkit-1/rules.d/50-nook-test.rules << 'RULE'
polkit.addRule(function(action, subject) {
	if (action.id == "org.nook.Nook1.manage" && subject.user == "nobody")
		return polkit.Result.YES;
});
RULE
pid=$(status_field "$e1000" pid)
# polkitd reads a new rule file when it sees it (inotify): a moment, at most.
check "with a polkit rule granting org.nook.Nook1.manage, nobody restarts the NIC" \
	wait_for 10 sh -c "setpriv --reuid 65534 --regid 65534 --clear-groups nookctl restart $e1000 > /dev/null 2>&1"
# An administrator's restart is no failure: the restart count stays; the pid is new.
running_anew() { [ "$(status_field "$1" state)" = running ] && [ "$(status_field "$1" pid)" != "$2" ]; }
check "... and it was restarted (pid $pid before)" wait_for 15 running_anew "$e1000" "$pid"
check "... and the scope of the driver before (pid $pid) is gone with it" wait_for 10 sh -c \
	"! systemctl list-units --all --no-legend 'nook-driver-$e1000-$pid.scope' | grep -q ."
rm -f /etc/polkit-1/rules.d/50-nook-test.rules
check "ping through nook0 after nobody's restart" net_wait_ping

out=$(nookctl attach "$ac97" 2>&1)
echo "# $out"
check "nookctl attach takes the AC97" grep -q "intel8x0 is running" <<< "$out"
sox -q -n -r 44100 -c 2 -b 16 -e signed-integer /tmp/tone.wav synth 1 sine 440 vol 0.5
# A codec comes out of reset muted (alsactl unmutes a kernel card at boot): unmuted here.
check "amixer -D nook:DEV=$ac97 unmutes Master and PCM" sh -c \
	"amixer -q -D 'nook:DEV=$ac97' sset Master 100% unmute && amixer -q -D 'nook:DEV=$ac97' sset PCM 100% unmute"
t0=$(date +%s%N)
timeout 20 aplay -q -D "nook:DEV=$ac97" /tmp/tone.wav 2> /tmp/aplay.err
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "# aplay: exit $rc after $ms ms: $(tr '\n' ' ' < /tmp/aplay.err)"
check "aplay -D nook:DEV=$ac97 finds the installed plugin and plays (exit 0, no error)" \
	test "$rc" = 0 -a ! -s /tmp/aplay.err
check "... for the tone's length: $ms ms of 1000" test "$ms" -ge 950
echo "440:1" > "$NOOK_OUT/ac97.expect" # and the card played it: sound-tones checks QEMU's recording
check "amixer -D nook:DEV=$ac97 sets Master" amixer -q -D "nook:DEV=$ac97" sset Master 50%
check "... and reads it back" sh -c "amixer -D 'nook:DEV=$ac97' sget Master | grep -q '\[5[0-9]%\]'"

# systemctl reload (SIGHUP): devices.d read again, what is new attached, the rest untouched.
out=$(nookctl detach "$ac97" 2>&1)
check "detach the AC97 ($out)" test $? -eq 0
main=$(systemctl show -p MainPID --value nookd)
pid=$(status_field "$e1000" pid)
mkdir -p /etc/nook/devices.d
printf 'address=%s\n' "$ac97" > /etc/nook/devices.d/ac97.conf
check "systemctl reload nookd" systemctl reload nookd
check "... attaches the AC97 devices.d now names" wait_for 20 sh -c \
	"nookctl status $ac97 --json | grep -q '\"state\": *\"running\"'"
check "... while nookd (pid $main) and the e1000's driver (pid $pid) run on" \
	test "$(systemctl show -p MainPID --value nookd)/$(status_field "$e1000" pid)" = "$main/$pid"

# A device devices.d names that appears while nookd runs (hot-plug; here the kernel's own
# remove and rescan) is attached when it appears.
out=$(nookctl detach "$ac97" 2>&1)
check "detach the AC97 again ($out)" test $? -eq 0
echo 1 > "/sys/bus/pci/devices/$ac97/remove"
check "the AC97 is gone from the bus" test ! -e "/sys/bus/pci/devices/$ac97"
since=$(date '+%Y-%m-%d %H:%M:%S')
echo 1 > /sys/bus/pci/rescan
check "... and back after a rescan" wait_for 10 test -e "/sys/bus/pci/devices/$ac97"
check "nookd attaches it as it appears, because ac97.conf names it" wait_for 30 sh -c \
	"nookctl status $ac97 --json | grep -q '\"state\": *\"running\"'"
check "... and says why" sh -c "journalctl -u nookd --since '$since' --no-pager |
	grep -q '$ac97 appeared; /etc/nook/devices.d/ac97.conf names it'"
out=$(nookctl detach "$ac97" 2>&1)
check "detach the AC97 ($out)" test $? -eq 0
rm -f /etc/nook/devices.d/ac97.conf

# nookd's own restarts, systemctl restart and then a crash (SIGSEGV; the watchdog's SIGABRT
# is the same), under a 20 Hz ping through the e1000. Its driver runs on through both, in a
# scope of its own, while systemd keeps nookd's fds of it: each new nookd adopts it (the same
# pid), and nook0 keeps its ifindex. The AC97's driver, attached with no devices.d entry,
# dies with nookd, and each new nookd attaches the card again from its record in
# /run/nook/devices; detached, it goes back to the kernel driver it had, which only that
# record remembers (to the kernel, vfio-pci is its driver by then).
out=$(nookctl attach "$ac97" 2>&1)
check "attach the AC97, with no devices.d entry ($out)" grep -q "intel8x0 is running" <<< "$out"
check "... and nookd records it, and its kernel driver, in /run/nook/devices" \
	grep -qx "kernel-driver=snd_intel8x0" "/run/nook/devices/$ac97.conf"
pid=$(status_field "$e1000" pid)
ifindex=$(cat /sys/class/net/nook0/ifindex)
main=$(systemctl show -p MainPID --value nookd)
new_nookd() {
	local p
	p=$(systemctl show -p MainPID --value nookd)
	[ "$p" != 0 ] && [ "$p" != "$main" ] && systemctl is-active --quiet nookd
}
adopted() { [ "$(status_field "$e1000" pid)" = "$pid" ] && [ "$(status_field "$e1000" state)" = running ]; }
ac97_running() { [ "$(status_field "$ac97" state)" = running ]; }
ping -D -i 0.05 -W 1 "$NET_PEER_IP" > /tmp/restart-ping.log 2>&1 &
ping=$!
sleep 1
since=$(date '+%Y-%m-%d %H:%M:%S')
check "systemctl restart nookd (pid $main)" systemctl restart nookd
check "... a new nookd adopts the e1000's driver: pid $pid runs on" wait_for 20 adopted
check "... and says so" sh -c "journalctl -u nookd --since '$since' --no-pager |
	grep -q '$e1000: adopted its driver (pid $pid), which the nookd before this one left running'"
check "... nook0 keeps its ifindex ($ifindex)" test "$(cat /sys/class/net/nook0/ifindex)" = "$ifindex"
check "... and it attaches the AC97 again" wait_for 30 ac97_running
check "... and says why" sh -c "journalctl -u nookd --since '$since' --no-pager |
	grep -q '$ac97: attached again: a nookd before this one ended without detaching it'"
main=$(systemctl show -p MainPID --value nookd)
kill -SEGV "$main"
check "systemd restarts nookd (pid $main) after its SIGSEGV" wait_for 30 new_nookd
check "... which adopts the e1000's driver (pid $pid) again" wait_for 20 adopted
check "... nook0 keeps its ifindex ($ifindex)" test "$(cat /sys/class/net/nook0/ifindex)" = "$ifindex"
check "... and attaches the AC97 again" wait_for 30 ac97_running
sleep 2
kill -INT "$ping"
wait "$ping"
gap=$(ping_gap_ms /tmp/restart-ping.log)
lost=$(ping_lost /tmp/restart-ping.log)
echo "# ping through both restarts of nookd: longest silence $gap ms, $lost lost"
check "ping through nook0 never stood still 1 s through both ($gap ms)" test "$gap" -lt 1000
check "... and lost at most 1 ($lost)" test "$lost" -le 1
out=$(nookctl detach "$ac97" 2>&1)
check "detach the AC97 ($out)" test $? -eq 0
check "... and the kernel's snd_intel8x0 has it again" test "$(pci_driver "$ac97")" = snd_intel8x0
check "... and nookd's record of it is gone" test ! -e "/run/nook/devices/$ac97.conf"

# The same under TCP load: an iperf3 stream and a transfer hashed at both ends through a
# restart of nookd and then a live upgrade of the e1000's driver (under the fd store, the new
# program's fds are kept for the nookd after as the old one's were).
ip netns exec "$NET_PEER_NS" iperf3 -s -1 -D -p 5202
ip netns exec "$NET_PEER_NS" python3 "$NOOK_SRC/tests/vm/guest/tcp-transfer.py" recv 5300 \
	> /tmp/xfer-recv.txt &
receiver=$!
sleep 0.5
timeout 90 iperf3 -c "$NET_PEER_IP" -p 5202 -t 15 -J > /tmp/restart-iperf.json 2>&1 &
client=$!
timeout 120 python3 "$NOOK_SRC/tests/vm/guest/tcp-transfer.py" send "$NET_PEER_IP" 5300 \
	$((64 << 20)) > /tmp/xfer-send.txt &
sender=$!
sleep 2
main=$(systemctl show -p MainPID --value nookd)
check "systemctl restart nookd under TCP load" systemctl restart nookd
check "... the e1000's driver (pid $pid) runs on, adopted" wait_for 20 adopted
out=$(nookctl upgrade "$e1000" 2>&1)
check "nookctl upgrade of the e1000 under TCP load ($out)" \
	grep -q "upgraded: .*nook-driver-e1000 runs the device" <<< "$out"
check "... a new driver process, nook0 still ifindex $ifindex" test \
	"$(status_field "$e1000" pid)/$(cat /sys/class/net/nook0/ifindex)" != "$pid/$ifindex" -a \
	"$(cat /sys/class/net/nook0/ifindex)" = "$ifindex"
wait "$client"
rc=$?
wait "$sender"
src=$?
wait "$receiver"
result=$(python3 -c "
import json; j = json.load(open('/tmp/restart-iperf.json'))
print(j.get('error') or 'ok', j['end']['sum_sent']['bytes'], j['end']['sum_received']['bytes'])" 2>&1)
echo "# iperf3 through a restart of nookd and an upgrade: $result"
check "iperf3 completes without error" test "$rc" = 0 -a "${result%% *}" = ok
echo "# hashed transfer: sent $(cat /tmp/xfer-send.txt), received $(cat /tmp/xfer-recv.txt)"
check "a 64 MiB transfer beside it completes, the receiver's count and hash the sender's" \
	test "$src" = 0 -a -s /tmp/xfer-send.txt -a "$(cat /tmp/xfer-send.txt)" = "$(cat /tmp/xfer-recv.txt)"

# detach --persist forgets what attach --persist wrote.
out=$(nookctl detach "$e1000" --persist 2>&1)
echo "# $out"
check "detach --persist removes the entry" test ! -e "$entry"
check "the kernel's e1000 driver has its device again" test "$(pci_driver "$e1000")" = e1000
# Under its unit's device policy nookd still reads the kernel log, where the IOMMU reports a
# device's refused DMA (without it, such a driver would go unnoticed): both of nookd's
# starts above said nothing to the contrary.
check "nookd reads the kernel log under its unit" sh -c \
	"journalctl -u nookd --no-pager | grep -q 'serving org.nook.Nook1' &&
	 ! journalctl -u nookd --no-pager | grep -q 'cannot read the kernel log'"
check "systemctl stop nookd" systemctl stop nookd
summary
