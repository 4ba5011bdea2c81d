#!/bin/bash
# VM scenario: nookd supervises Linux's e1000 driver program. Attach through nookctl over
# D-Bus, traffic, its standby, crash (SIGSEGV) and hang (SIGSTOP) each detected and recovered
# (through the standby), a crash loop (failures with no healthy incarnation between them)
# ending in `failed`, reset-failed, bad requests refused,
# detach, and devices.d at start (with --no-standby).
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"

e1000=$(pci_find 8086 100e) || fatal "no e1000 in the guest"
rtl=$(pci_find 10ec 8139) || fatal "no rtl8139 in the guest"
edu=$(pci_find 1234 11e8) || fatal "no edu device in the guest"
net_peer_up "$rtl" 8139cp || fatal "the peer did not come up"
# Neither vfio-pci nor tun loaded: nookd loads what an attach needs, and says so.
modprobe -r vfio-pci tun 2> /dev/null
nookd_bus_up || fatal "no system bus"
nookd_start --heartbeat-ms 200 --heartbeat-timeout-ms 1500 --max-failures 3 \
	--failure-window-ms 60000 || fatal "nookd did not come up: $(cat "$NOOK_OUT/nookd.log")"

out=$(nookctl attach "$e1000" --ifname nook0 2>&1)
echo "# $out"
check "nookctl attach starts the e1000 driver" grep -q "e1000 is running" <<< "$out"
check "the device went to vfio-pci" test "$(pci_driver "$e1000")" = vfio-pci
check "nookd loaded vfio-pci and tun itself, and said so" sh -c \
	"grep -q 'vfio-pci was not loaded: loaded it (modprobe vfio-pci)' $NOOK_OUT/nookd.log &&
	 grep -q 'tun was not loaded: loaded it (modprobe tun)' $NOOK_OUT/nookd.log"
check "nook0 has the MAC from the NIC's EEPROM" \
	test "$(cat /sys/class/net/nook0/address 2>/dev/null)" = 52:54:00:00:00:10
net_local_up nook0
check "carrier comes up" wait_for 10 grep -qx 1 /sys/class/net/nook0/carrier
check "ping through the supervised driver" net_wait_ping
tx=$(net_iperf 5)
check "iperf3 5 s through it completes (${tx:-failed})" test -n "$tx"
ifindex=$(cat /sys/class/net/nook0/ifindex)

check "busctl shows the manager API" sh -c \
	"busctl --system introspect org.nook.Nook1 /org/nook/Nook1 | grep -q '^\.Attach'"
dpath=$(busctl --system call org.nook.Nook1 /org/nook/Nook1 org.nook.Nook1.Manager GetDevice s "$e1000" | awk '{print $2}' | tr -d '"')
check "the device's object has its properties ($dpath)" sh -c \
	"busctl --system introspect org.nook.Nook1 $dpath | grep -q '^\.LastRecoveryMs'"

out=$(nookctl ethtool "$e1000" 2>&1)
echo "$out" | sed 's/^/# ethtool: /'
check "ethtool: the driver names itself and its bus address" \
	grep -qx "driver *e1000" <<< "$out"
check "ethtool: link up at 1000 Mb/s full duplex, as e1000 reports QEMU's link" \
	test "$(grep -E '^(link|speed|duplex) ' <<< "$out" | tr -s ' ' | tr '\n' ' ')" = "link yes speed 1000 duplex full "
json_stat() { nookctl status "$e1000" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['statistics']['$1'])"; }
check "status counts the traffic the driver saw (tx packets $(json_stat tx_packets))" \
	test "$(json_stat tx_packets)" -gt 1000
stat_names=$(nookctl status "$e1000" --json | python3 -c \
	"import json,sys; print(' '.join(sorted(json.load(sys.stdin)['statistics'])))")
want_names="collisions multicast rx_bytes rx_crc_errors rx_dropped rx_errors rx_fifo_errors
	rx_frame_errors rx_length_errors rx_missed rx_over_errors rx_packets tx_aborted_errors
	tx_bytes tx_carrier_errors tx_dropped tx_errors tx_fifo_errors tx_heartbeat_errors
	tx_packets tx_window_errors"
check "status carries the NIC's counters: missed frames, and errors by kind as ip -s -s link shows them ($stat_names)" \
	test "$stat_names" = "$(echo $want_names)"
stats_like_ethtool() { # ethtool -S: a heading, then one "     name: value" per counter
	local out
	out=$(nookctl stats "$e1000") || return 1
	[ "$(head -1 <<< "$out")" = "NIC statistics:" ] &&
		grep -qE '^     tx_packets: [1-9][0-9]*$' <<< "$out" &&
		[ "$(grep -cE '^     [a-z_]+: [0-9]+$' <<< "$out")" = 21 ]
}
check "stats lays the counters out as ethtool -S does" stats_like_ethtool
check "... and stats --json has the same names as status" test "$(nookctl stats "$e1000" --json |
	python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin))))')" = "$(echo $want_names)"
pid=$(status_field "$e1000" pid)
echo "# status: $(nookctl status "$e1000" --json)"
check "status: running, driver e1000, nook0, no restarts" test \
	"$(status_field "$e1000" state)/$(status_field "$e1000" driver)/$(status_field "$e1000" interfaces)/$(status_field "$e1000" restarts)" = running/e1000/nook0/0
check "status: the pid is the driver program's" \
	grep -q nook-driver-e1000 "/proc/$pid/cmdline"
echo "# $(grep -E '^(Uid|NoNewPrivs|Seccomp):' "/proc/$pid/status" | tr '\n\t' '  ')"
check "the driver runs as an unprivileged user" \
	test "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" -ne 0
check "with NoNewPrivs" grep -qE '^NoNewPrivs:\s+1' "/proc/$pid/status"
check "at nice -10, ahead of ordinary processes" test "$(ps -o ni= -p "$pid" | tr -d ' ')" = -10
check "under a seccomp filter" grep -qE '^Seccomp:\s+2' "/proc/$pid/status"
check "in network and mount namespaces of its own" test \
	"$(readlink "/proc/$pid/ns/net") $(readlink "/proc/$pid/ns/mnt")" != \
	"$(readlink /proc/self/ns/net) $(readlink /proc/self/ns/mnt)"
check "its root holds no /dev, /proc, /sys or /etc/passwd" sh -c \
	"! ls -d /proc/$pid/root/dev /proc/$pid/root/proc /proc/$pid/root/sys /proc/$pid/root/etc/passwd 2>/dev/null | grep -q ."

# The standby: the next incarnation, started once traffic flowed, confined the same way, with
# no device until a restart hands it over.
check "a standby waits for the device" wait_for 10 sh -c \
	"[ \"\$($NOOK_BUILD/ctl/nookctl status $e1000 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"standby_pid\"])')\" != 0 ]"
standby=$(status_field "$e1000" standby_pid)
echo "# standby: pid $standby: $(tr '\0' ' ' < "/proc/$standby/cmdline")"
check "the standby is the driver program, told to stand by" sh -c \
	"tr '\\0' ' ' < /proc/$standby/cmdline | grep -q -- 'nook-driver-e1000 --supervised --standby'"
check "it runs unprivileged, NoNewPrivs, under seccomp" test \
	"$(awk '/^Uid:/ {print ($2 != 0)} /^NoNewPrivs:/ {print $2} /^Seccomp:/ {print $2}' "/proc/$standby/status" | tr '\n' ' ')" = "1 1 2 "
check "in namespaces of its own" test "$(readlink "/proc/$standby/ns/net")" != "$(readlink /proc/self/ns/net)"
check "at the driver's nice value" test "$(ps -o ni= -p "$standby" | tr -d ' ')" = -10
check "holding no VFIO fd and no TAP" sh -c \
	"! ls -l /proc/$standby/fd | grep -qE 'vfio|tun'"
check "holding nothing of the device: the running driver still does" \
	sh -c "ls -l /proc/$pid/fd | grep -q vfio"

# A crash: detected by the exit, reported with the driver's own account, restarted.
kill -SEGV "$pid"
check "after SIGSEGV the driver is running again" wait_for 15 sh -c \
	"[ \"\$($NOOK_BUILD/ctl/nookctl status $e1000 --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s[\"state\"], s[\"restarts\"])')\" = 'running 1' ]"
check "the restart handed the device to the standby (pid $standby)" \
	test "$(status_field "$e1000" pid)" = "$standby"
check "which took the VFIO device" sh -c "ls -l /proc/$standby/fd | grep -q vfio"
check "and a new standby follows" wait_for 10 sh -c \
	"s=\$($NOOK_BUILD/ctl/nookctl status $e1000 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"standby_pid\"])'); [ \$s != 0 ] && [ \$s != $standby ]"
echo "# status: $(nookctl status "$e1000" --json)"
check "the failure names SIGSEGV" sh -c "status_field() { :; }; $NOOK_BUILD/ctl/nookctl status $e1000 | grep -q 'last failure:.*SIGSEGV'"
check "a recovery time is reported" test "$(status_field "$e1000" last_recovery_ms)" -gt 0
check "nook0 kept its ifindex" test "$(cat /sys/class/net/nook0/ifindex)" = "$ifindex"
check "the traffic counters survive the restart" test "$(json_stat tx_packets)" -gt 1000
check "ping works after the crash" net_wait_ping

# A standby that dies is noticed and dropped; the next restart starts a driver from scratch.
standby=$(status_field "$e1000" standby_pid)
pid=$(status_field "$e1000" pid)
restarts=$(status_field "$e1000" restarts)
kill -KILL "$standby"
check "a standby's death is noticed" wait_for 5 sh -c \
	"grep -q 'the standby (pid $standby) was killed by signal 9' $NOOK_OUT/nookd.log"
check "and it is gone from status" test "$(status_field "$e1000" standby_pid)" = 0
check "the running driver (pid $pid, $restarts restarts) is untouched" \
	test "$(status_field "$e1000" state)/$(status_field "$e1000" pid)/$(status_field "$e1000" restarts)" = "running/$pid/$restarts"

# A hang: no heartbeat within the timeout; killed and restarted (from scratch: no standby).
pid=$(status_field "$e1000" pid)
kill -STOP "$pid"
check "after SIGSTOP the hang is detected and the driver restarted" wait_for 15 sh -c \
	"[ \"\$($NOOK_BUILD/ctl/nookctl status $e1000 --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s[\"state\"], s[\"restarts\"])')\" = 'running 2' ]"
check "the failure says it hung" sh -c "$NOOK_BUILD/ctl/nookctl status $e1000 | grep -q 'last failure:.*hung'"
check "the hung driver's successor was started from scratch" \
	grep -q "started $NOOK_BUILD/drivers/e1000/nook-driver-e1000 (pid $(status_field "$e1000" pid))" "$NOOK_OUT/nookd.log"
check "ping works after the hang" net_wait_ping

# A crash loop: with nook0 down no incarnation receives a frame, so none becomes healthy;
# the fourth failure in a row within the window (one more than --max-failures) puts the
# device in `failed`. (Failures that healthy incarnations separate, as the crash and the
# hang above were, are not a loop.)
# new_incarnation OLD-PID: a driver other than OLD-PID runs.
new_incarnation() {
	local p
	p=$(nookctl status "$e1000" --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["pid"] if s["state"] == "running" else 0)')
	[ "$p" != 0 ] && [ "$p" != "$1" ]
}
ip link set nook0 down
for _ in 1 2 3; do
	pid=$(status_field "$e1000" pid)
	kill -SEGV "$pid"
	wait_for 15 new_incarnation "$pid"
done
check "three failures in a row, none healthy, are not yet a loop" wait_state "$e1000" running 1
kill -SEGV "$(status_field "$e1000" pid)"
check "a fourth ends the crash loop in failed" wait_state "$e1000" failed 15
out=$(nookctl restart "$e1000" 2>&1)
check "restart of a failed device is refused with a hint ($out)" grep -q "reset-failed" <<< "$out"
out=$(nookctl reset-failed "$e1000" 2>&1)
check "reset-failed starts it again ($out)" grep -q "e1000 is running" <<< "$out"
ip link set nook0 up
check "ping works after reset-failed" net_wait_ping

# Debugging: nookd hands the process over; a stopped (breakpointed) driver is not a hang.
out=$(nookctl debug "$e1000" 2>&1)
echo "# $out"
pid=$(status_field "$e1000" pid)
restarts=$(status_field "$e1000" restarts)
check "nookctl debug says how to attach gdb" grep -q "gdb .*/proc/$pid/exe $pid" <<< "$out"
if command -v gdb > /dev/null; then
	bt=$(gdb -iex "set sysroot /proc/$pid/root" "/proc/$pid/exe" "$pid" -batch -ex bt 2>&1)
	check "gdb attaches to the driver process and sees its loop" grep -q nook_loop_run_once <<< "$bt"
fi
kill -STOP "$pid"
sleep 4.5 # three heartbeat timeouts
check "a stopped driver under debug is neither killed nor restarted" \
	test "$(status_field "$e1000" pid)/$(status_field "$e1000" restarts)" = "$pid/$restarts"
kill -CONT "$pid"
# The sandbox: a driver that tries to open a socket dies of SIGSYS, and says what it tried.
gdb -iex "set sysroot /proc/$pid/root" "/proc/$pid/exe" "$pid" -batch \
	-ex 'call (int)socket(2, 1, 0)' > /dev/null 2>&1
check "a socket() call kills the sandboxed driver (under debug: not restarted)" \
	wait_state "$e1000" stopped 10
echo "# $(nookctl status "$e1000" | grep 'last failure')"
check "the failure names the forbidden system call" sh -c \
	"$NOOK_BUILD/ctl/nookctl status $e1000 | grep -q 'last failure:.*SIGSYS.*socket'"
out=$(nookctl restart "$e1000" 2>&1)
check "restart ends debugging and starts a new process ($out)" \
	test "$(grep -o 'e1000 is running (pid [0-9]*' <<< "$out")" != "" -a \
	"$(status_field "$e1000" pid)" != "$pid"
check "ping works after debugging" net_wait_ping

# refused WHAT EXPECTED-TEXT COMMAND...: the command fails and says EXPECTED-TEXT.
refused() {
	local what=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	echo "# $what: rc=$rc: $out"
	[ "$rc" -ne 0 ] && grep -q "$want" <<< "$out"
}

# A live upgrade, under a 20 Hz ping: to the program on disk (as after a package upgrade),
# then to a copy of it by path. The new program stands by, then takes the device as a
# recovery would: the interface stays, nothing counts as a failure.
upgrade_under_ping() { # NOOKCTL-UPGRADE-ARGS...: its output; the ping's in /tmp/upg-ping.log
	ping -D -i 0.05 -W 1 "$NET_PEER_IP" > /tmp/upg-ping.log 2>&1 &
	local ping=$! out
	sleep 1
	out=$(nookctl upgrade "$@" 2>&1)
	echo "rc=$? $out"
	sleep 5 # past the new driver's link (2.5 s at most), so that its answers are in the log
	kill -INT "$ping"
	wait "$ping"
}
pid=$(status_field "$e1000" pid)
restarts=$(status_field "$e1000" restarts)
ifindex=$(cat /sys/class/net/nook0/ifindex)
wait_for 10 sh -c "[ \"\$($NOOK_BUILD/ctl/nookctl status $e1000 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"standby_pid\"])')\" != 0 ]"
standby=$(status_field "$e1000" standby_pid)
out=$(upgrade_under_ping "$e1000")
echo "# upgrade: $out; ping's longest silence $(ping_gap_ms /tmp/upg-ping.log) ms, $(ping_lost /tmp/upg-ping.log) lost"
check "upgrade to the program on disk: it runs the device" grep -q "^rc=0 .*upgraded: .*nook-driver-e1000 runs the device" <<< "$out"
check "a new process (not $pid), no restart counted, no failure" test \
	"$(status_field "$e1000" state)/$(status_field "$e1000" restarts)" = "running/$restarts" -a \
	"$(status_field "$e1000" pid)" != "$pid" -a "$(status_field "$e1000" pid)" != "$standby"
check "the old driver and its standby are gone" test ! -e "/proc/$pid" -a ! -e "/proc/$standby"
check "nook0 kept its ifindex through the upgrade" test "$(cat /sys/class/net/nook0/ifindex)" = "$ifindex"
# The hand-over is a recovery's: an e1000 waits for its link again (2.3-2.5 s when its
# watchdog's look falls after QEMU's autonegotiation), the pings meanwhile queued, not lost.
check "ping stood still no longer than through a recovery (under 4 s)" \
	test "$(ping_gap_ms /tmp/upg-ping.log)" -lt 4000
check "... and lost at most the frames in flight at the hand-over (lost $(ping_lost /tmp/upg-ping.log))" \
	test "$(ping_lost /tmp/upg-ping.log)" -le 2
mkdir -p /tmp/upgrade/new /tmp/upgrade/broken
cp "$NOOK_BUILD/drivers/e1000/nook-driver-e1000" /tmp/upgrade/new/
pid=$(status_field "$e1000" pid)
out=$(upgrade_under_ping "$e1000" --driver /tmp/upgrade/new/nook-driver-e1000)
echo "# upgrade by path: $out"
newpid=$(status_field "$e1000" pid)
check "upgrade by path: the copy runs the device" \
	grep -q '^rc=0 .*/tmp/upgrade/new/nook-driver-e1000 runs the device' <<< "$out"
check "... its process (pid $newpid) is the copy" \
	grep -q /tmp/upgrade/new/nook-driver-e1000 "/proc/$newpid/cmdline"
out=$(nookctl upgrade --all 2>&1)
echo "# upgrade --all: rc=$? $out"
check "upgrade --all upgrades every running device" grep -q "^$e1000: upgraded: " <<< "$out"
check "ping works after the upgrades" net_wait_ping

# A new program that does not start is rolled back; bad paths are refused; the running
# driver is untouched by either.
cp "$NOOK_BUILD/tests/vm/progs/broken-driver" /tmp/upgrade/broken/nook-driver-e1000
pid=$(status_field "$e1000" pid)
out=$(nookctl upgrade "$e1000" --driver /tmp/upgrade/broken/nook-driver-e1000 2>&1)
echo "# upgrade to a broken program: rc=$? $out"
check "an upgrade to a program that does not start fails, and says why" grep -q \
	"died before it took the device (exited with status 1: broken-driver: this build does not start)" <<< "$out"
check "... and the driver (pid $pid) runs on" \
	test "$(status_field "$e1000" state)/$(status_field "$e1000" pid)/$(status_field "$e1000" restarts)" = "running/$pid/$restarts"
check "an upgrade to something that is no driver program is refused" refused "no program" \
	"is not a nook driver program" nookctl upgrade "$e1000" --driver /etc/passwd
cp "$NOOK_BUILD/drivers/8139cp/nook-driver-8139cp" /tmp/upgrade/new/
check "... to another driver too" refused "another driver" "is the 8139cp driver" \
	nookctl upgrade "$e1000" --driver /tmp/upgrade/new/nook-driver-8139cp
check "an upgrade of an unattached device is refused" refused "unattached" \
	"is not attached to nook" nookctl upgrade "$edu"
check "... the driver (pid $pid) still runs on" \
	test "$(status_field "$e1000" state)/$(status_field "$e1000" pid)" = "running/$pid"
check "ping works after the refused upgrades" net_wait_ping
pid=$(status_field "$e1000" pid)

# Bad requests: one clear line each, a non-zero exit, nookd unharmed.
check "unknown address refused" refused "unknown address" "no such PCI device" \
	nookctl attach 0000:00:1f.6
check "malformed address refused" refused "malformed" "not a PCI address" nookctl attach 00:zz.0
check "unknown driver refused" refused "unknown driver" "no nook driver named 'nosuch'" \
	nookctl attach "$edu" --driver nosuch
check "a device no driver takes is refused" refused "no driver" "no nook driver takes" \
	nookctl attach "$edu"
check "attaching twice is refused" refused "twice" "attached already" nookctl attach "$e1000"
check "a non-root caller reads the list" sh -c "setpriv --reuid 65534 --regid 65534 \
	--clear-groups $NOOK_BUILD/ctl/nookctl list | grep -q '^$e1000 '"
check "... and is refused a change, told who may" refused "non-root" \
	"permission denied: only root, or a user polkit authorizes for org.nook.Nook1.manage, may manage nook devices" \
	setpriv --reuid 65534 --regid 65534 --clear-groups "$NOOK_BUILD/ctl/nookctl" restart "$e1000"
check "the edu device was left alone" test -z "$(pci_driver "$edu")"
check "nookd is unharmed" kill -0 "$NOOKD_PID"
check "and its driver (pid $pid) runs on, not restarted" \
	test "$(status_field "$e1000" state)/$(status_field "$e1000" pid)" = "running/$pid"

standby=$(status_field "$e1000" standby_pid)
out=$(nookctl detach "$e1000" 2>&1)
check "detach ($out)" test $? -eq 0
check "the standby (pid $standby) went with the driver" wait_for 5 sh -c "[ $standby != 0 ] && [ ! -e /proc/$standby ]"
check "nook0 is gone" test ! -e /sys/class/net/nook0
check "the device is no longer on vfio-pci" test "$(pci_driver "$e1000")" != vfio-pci
check "list is empty" test "$(nookctl list --json)" = "[]"

# devices.d: a device declared there is attached when nookd starts.
nookd_stop || echo "# nookd did not stop"
mkdir -p /tmp/devices.d
printf '# the lab NIC\naddress=%s\nifname=nook1\n' "$e1000" > /tmp/devices.d/lab.conf
nookd_start --devices-dir /tmp/devices.d --no-standby || fatal "nookd did not start again"
check "a devices.d device is attached at start" wait_state "$e1000" running 20
check "with its interface name" test -e /sys/class/net/nook1
sleep 3 # three times the delay after which a standby would start
check "--no-standby: no standby 3 s after the driver took the device" \
	test "$(status_field "$e1000" standby_pid)" = 0
handed=$(grep -c 'handed the device to the standby' "$NOOK_OUT/nookd.log")
kill -SEGV "$(status_field "$e1000" pid)"
check "--no-standby: a crash is recovered" wait_for 15 running_with "$e1000" 1
check "by a driver started from scratch" \
	test "$(grep -c 'handed the device to the standby' "$NOOK_OUT/nookd.log")" = "$handed"
check "SIGTERM: nookd detaches everything and exits" nookd_stop
check "nook1 is gone with it" test ! -e /sys/class/net/nook1
if [ "$CHECKS_FAILED" -gt 0 ]; then
	echo "# kernel log:"
	dmesg | tail -40 | sed 's/^/#   /'
fi
summary
