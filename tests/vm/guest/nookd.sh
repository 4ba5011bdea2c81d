# Guest-side helpers for scenarios that run nookd (sourced after lib.sh).
#
# nookd_bus_up: a system bus with nook's D-Bus policy installed.
# nookd_start [ARGS...]: nookd from the build tree in the background, logging to
#   $NOOK_OUT/nookd.log; returns once it owns org.nook.Nook1. NOOKD_PID is its pid.
#   $NOOKD_WRAPPER (e.g. "valgrind --log-file=/nook-out/vg.%p") runs it under a tool.
# nookd_stop: SIGTERM, and wait (bounded) for it to detach everything and exit.
# nookctl ARGS...: the build tree's nookctl.
# status_field BDF FIELD: one field of `nookctl status --json`.

NOOKD=$NOOK_BUILD/daemon/nookd
export NOOK_DRIVER_PATH=$NOOK_BUILD/drivers/e1000

nookctl() { "$NOOK_BUILD/ctl/nookctl" "$@"; }

nookd_bus_up() {
	mkdir -p /run/dbus /etc/dbus-1/system.d
	cp "$NOOK_SRC/daemon/data/org.nook.Nook1.conf" /etc/dbus-1/system.d/
	[ -S /run/dbus/system_bus_socket ] && return 0
	dbus-daemon --system --fork || return 1
	wait_for 5 test -S /run/dbus/system_bus_socket
}

nookd_start() {
	${NOOKD_WRAPPER:-} "$NOOKD" "$@" >> "$NOOK_OUT/nookd.log" 2>&1 &
	NOOKD_PID=$!
	wait_for 30 "$NOOK_BUILD/ctl/nookctl" list > /dev/null
}

nookd_stop() {
	kill -TERM "$NOOKD_PID" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$NOOKD_PID" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$NOOKD_PID" 2>/dev/null
}

status_field() {
	nookctl status "$1" --json | python3 -c "import json,sys; v=json.load(sys.stdin)['$2']; print(' '.join(v) if isinstance(v, list) else v)"
}

# wait_state BDF STATE SECONDS
wait_state() {
	wait_for "$3" sh -c "[ \"\$($NOOK_BUILD/ctl/nookctl status $1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"state\"])')\" = $2 ]"
}

# last_recovery BDF: the newest recovery in `nookctl status --json`, as
# "FAILURE INJECTED STARTED_MS READY_MS CARRIER_MS TRAFFIC_MS" (INJECTED "-" when none).
last_recovery() {
	nookctl status "$1" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)["recoveries"]
if r:
    x = r[-1]
    print(x["failure"], x["injected"] or "-", x["started_ms"], x["ready_ms"], x["carrier_ms"], x["traffic_ms"])'
}

# stood_still BDF: each gap nookd measured in a playback stream of the sound card at BDF
# (ms its position stood still across a driver's failure), oldest first, one per line.
stood_still() {
	sed -n "s/^\(<[0-7]>\)\?$1: sound: a playback stream stood still for \([0-9]*\) ms.*/\2/p" \
		"$NOOK_OUT/nookd.log"
}

# running_with BDF RESTARTS: the device runs, restarted RESTARTS times.
running_with() {
	[ "$(nookctl status "$1" --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["state"], s["restarts"])')" = "running $2" ]
}

# has_standby BDF: a standby driver process waits to take the device at its next restart.
has_standby() {
	[ "$(nookctl status "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["standby_pid"])')" != 0 ]
}

# traffic_back BDF: its newest recovery has reached the first received frame.
traffic_back() {
	local r
	r=$(last_recovery "$1")
	set -- $r
	[ "${6:-0}" -gt 0 ]
}

# nookd_nic_up NOOKD_ARGS...: the NIC under test ($NOOK_NIC: e1000, the default, 8139cp,
# pcnet32 or e100) attached under nookd (with NOOKD_ARGS) as nook0, a NIC of another kind as the
# kernel-driven peer, ping through it working; NIC is its address. Anything missing stops
# the scenario.
nookd_nic_up() {
	local kind=${NOOK_NIC:-e1000}
	net_nic_up "$kind" || fatal "no $kind NIC and peer to test with"
	modprobe tun && modprobe vfio-pci || fatal "cannot load tun and vfio-pci"
	nookd_bus_up || fatal "no system bus"
	NOOK_DRIVER_PATH=$NOOK_BUILD/drivers/$kind nookd_start "$@" || fatal "nookd did not come up"
	nookctl attach "$NIC" --ifname nook0 > /dev/null || fatal "attach failed"
	net_local_up nook0
	net_wait_ping || fatal "no ping through nook0"
}

# driver_patch_return BDF FUNCTION VALUE: from outside, with gdb, make FUNCTION of the driver
# running for BDF return VALUE (0 or 1) at once ("xor %eax,%eax; ret" or "mov $1,%eax; ret"
# over its first bytes), while nookd goes on supervising it: gdb loads the program's
# symbols first, then attaches, writes and detaches, so the driver stands still for a
# moment only (its heartbeats go on). The driver process is dumpable (common/sandbox) and
# root may trace it; its seccomp filter concerns only what the driver itself calls. Prints
# gdb's output on failure.
driver_patch_return() {
	local pid out set want
	case $3 in
	0) set="set *(unsigned int *)$2 = 0x00c3c031" want="0x31	0xc0	0xc3" ;;
	1) set="set *(unsigned long long *)$2 = 0x0000c300000001b8"
	   want="0xb8	0x01	0x00	0x00	0x00	0xc3" ;;
	*) return 1 ;;
	esac
	pid=$(status_field "$1" pid)
	out=$(gdb -nx -batch -iex "set sysroot /proc/$pid/root" -iex "set auto-solib-add off" \
		-iex "set debuginfod enabled off" -ex "$set" -ex "x/6xb $2" -ex detach \
		"/proc/$pid/exe" "$pid" 2>&1)
	grep -q "$want" <<< "$out" && return 0
	echo "$out" | sed 's/^/# gdb: /'
	return 1
}

# driver_gdb_call BDF EXPR: have BDF's running driver evaluate the C expression EXPR (gdb's
# `call`), e.g. a kernel API call as its own code would make it; prints gdb's answer.
driver_gdb_call() {
	local pid
	pid=$(status_field "$1" pid)
	gdb -nx -batch -iex "set sysroot /proc/$pid/root" -iex "set auto-solib-add off" \
		-iex "set debuginfod enabled off" -ex "call $2" -ex detach \
		"/proc/$pid/exe" "$pid" 2>&1
}

# time_to_restart BDF OLD-PID: wait (up to 20 s by the clock) until OLD-PID is gone and a new
# driver runs for BDF; prints "KILLED_MS RUNNING_MS", both from the call, or fails.
time_to_restart() {
	local t0 ms killed=-1 p
	t0=$(date +%s%N)
	while ms=$((($(date +%s%N) - t0) / 1000000)); [ "$ms" -lt 20000 ]; do
		if [ "$killed" -lt 0 ]; then
			kill -0 "$2" 2>/dev/null || killed=$ms
		else
			p=$(nookctl status "$1" --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["pid"] if s["state"] == "running" else 0)')
			if [ "$p" != 0 ] && [ "$p" != "$2" ]; then
				echo "$killed $((($(date +%s%N) - t0) / 1000000))"
				return 0
			fi
		fi
		sleep 0.05
	done
	return 1
}
