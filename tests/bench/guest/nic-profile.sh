#!/bin/bash
# Profile (guest side): where the time goes while iperf3 runs through a NIC driver, the
# kernel's and then nook's, each way. A developer's tool, run by hand:
#   tests/vm/nook-vm -e NOOK_BENCH_NIC=8139cp -d rtl8139 -d e1000 tests/bench/guest/nic-profile.sh
# (NOOK_BENCH_NIC: e1000, the default, or 8139cp; list that NIC's device first.) For each run
# it prints the interrupt rate, the guest's CPU split, and, for nook's driver process, its
# scheduler figures (/proc/PID/schedstat: time run, time waiting to run, slices), user and
# system time, and read/write system calls per second. `perf` is of no use in the TCG guest
# (it records no samples), and a task's time here includes the interrupts and softirqs it was
# interrupted by (the kernel has no IRQ time accounting); so each run also takes a 0.5 s
# ftrace of task switches, interrupts and softirqs, and cpu-contexts.py says what each CPU
# spent its time on: which task, which interrupt handler, which softirq, or idle. Inside
# nook's driver process, a sampling profiler (tests/bench/sprof) says which functions.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
secs=${NOOK_BENCH_SECONDS:-8}
nic=${NOOK_BENCH_NIC:-e1000}
driver=$NOOK_BUILD/drivers/$nic/nook-driver-$nic
[ -x "$driver" ] || { echo "profile: $driver is not built"; exit 77; }
[ "$secs" -ge 6 ] || { echo "profile: NOOK_BENCH_SECONDS must be 6 or more"; exit 1; }
net_nic_up "$nic" || exit 1
dev=$NIC

# task PID: "run_ns wait_ns slices vol invol utime stime syscr syscw" (zeros when gone)
task() {
	local s
	s=$(cat "/proc/$1/schedstat" 2>/dev/null) || { echo "0 0 0 0 0 0 0 0 0"; return; }
	echo "$s $(awk '/^voluntary_ctxt/{v=$2} /^nonvoluntary_ctxt/{n=$2} END{print v+0, n+0}' \
		"/proc/$1/status") $(awk '{print $14, $15}' "/proc/$1/stat") $(awk \
		'/^syscr/{r=$2} /^syscw/{w=$2} END{print r+0, w+0}' "/proc/$1/io")"
}
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T
EVENTS="sched/sched_switch irq/irq_handler_entry irq/irq_handler_exit irq/softirq_entry irq/softirq_exit"
echo 16384 > $T/buffer_size_kb

# The events are enabled once, here, while the guest is idle: enabling one patches the
# kernel's code, and doing that under a full network load has locked the TCG guest up (both
# CPUs stuck, whichever the clocksource). A run only turns recording on and off.
echo 0 > $T/tracing_on
for e in $EVENTS; do echo 1 > "$T/events/$e/enable"; done

# trace_contexts NAME: 0.5 s of the events above, kept as $NOOK_OUT/NAME.trace (read by
# cpu-contexts.py once the run is over: python is slow to start in the TCG guest).
trace_contexts() {
	echo > $T/trace
	echo 1 > $T/tracing_on
	sleep 0.5
	echo 0 > $T/tracing_on
	cp $T/trace "$NOOK_OUT/$1.trace"
}

irqs() { awk -v p="$1" '$0 ~ p { for (i = 2; i <= 3; i++) t += $i } END { print t + 0 }' /proc/interrupts; }

# profile LABEL IRQ_PATTERN PID [-R]: iperf3 for $secs: traced from 2 s in for 0.5 s, then
# sampled until 2 s before the end.
profile() {
	local label=$1 pat=$2 pid=$3 srv cli t0 t1 i0 i1 c0 c1 d0 d1
	shift 3
	net_iperf_server "$secs"
	srv=$NET_IPERF_SERVER
	timeout $((secs + 20)) iperf3 -c "$NET_PEER_IP" -t "$secs" "$@" > /tmp/iperf.out 2>&1 &
	cli=$!
	sleep 2
	trace_contexts "$label${1:-}"
	t0=$(date +%s%N) i0=$(irqs "$pat") c0=$(head -1 /proc/stat) d0=$(task "$pid")
	sleep $((secs - 5))
	t1=$(date +%s%N) i1=$(irqs "$pat") c1=$(head -1 /proc/stat) d1=$(task "$pid")
	wait "$cli"
	wait "$srv"
	echo "=== $label ${*:-(tx)}: $(grep receiver /tmp/iperf.out | awk '{print $7, $8}')"
	python3 - "$t0" "$t1" "$i0" "$i1" "$c0" "$c1" "$d0" "$d1" <<'PY'
import sys
a = sys.argv[1:]
dt = (int(a[1]) - int(a[0])) / 1e9
print(f"  interrupts/s {(int(a[3]) - int(a[2])) / dt:.0f}")
c = [int(y) - int(x) for x, y in zip(a[4].split()[1:9], a[5].split()[1:9])]
names = "user nice system idle iowait irq softirq steal".split()
print("  cpu % " + " ".join(f"{n}={100 * v / sum(c):.0f}" for n, v in zip(names, c)))
d = [int(y) - int(x) for x, y in zip(a[6].split(), a[7].split())]
if d[2] > 0:
    print(f"  driver: ran {d[0] / 1e6 / dt:.0f} ms/s (user {d[5] * 10 / dt:.0f}, system "
          f"{d[6] * 10 / dt:.0f}), waited to run {d[1] / 1e6 / dt:.0f} ms/s, "
          f"{d[2] / dt:.0f} slices/s of {d[0] / d[2] / 1e3:.0f} us, "
          f"{d[3] / dt:.0f} sleeps/s, {d[4] / dt:.0f} preemptions/s, "
          f"read calls {d[7] / dt:.0f}/s, write calls {d[8] / dt:.0f}/s")
PY
	python3 "$NOOK_SRC/tests/bench/guest/cpu-contexts.py" "$NOOK_OUT/$label${1:-}.trace"
}

modprobe "$nic"
ifname=$(net_ifname_of "$dev") || { echo "profile: the kernel's $nic made no interface"; exit 1; }
net_local_up "$ifname"
net_wait_ping || { echo "profile: the peer does not answer"; exit 1; }
profile kernel "$ifname" 0
profile kernel "$ifname" 0 -R
ip link set "$ifname" down

# nook's driver, started once for each direction with the sampling profiler preloaded
# (tests/bench/sprof; inert in every other program), which says what the driver process
# spent its own CPU time on: the figures above cannot look inside it.
modprobe tun
vfio_bind "$dev" || { echo "profile: cannot bind $dev to vfio-pci"; exit 1; }
sprof=$NOOK_BUILD/tests/bench/nook-sprof.so
[ -e "$sprof" ] || { echo "profile: $sprof is not built"; exit 1; }
for dir in "" -R; do
	export LD_PRELOAD=$sprof NOOK_SPROF=$NOOK_OUT/sprof-nook${dir:-tx}
	net_nook_up "$driver" "$dev" || exit 1
	unset LD_PRELOAD NOOK_SPROF
	net_wait_ping || { echo "profile: the peer does not answer"; exit 1; }
	profile nook vfio "$NET_NOOK_PID" $dir
	net_nook_down
	tail -1 "$NOOK_OUT/driver.log"
	echo "  the driver process's CPU time, sampled (from its start to its end):"
	python3 "$NOOK_SRC/tests/bench/guest/sprof-report.py" \
		"$NOOK_OUT/sprof-nook${dir:-tx}.$NET_NOOK_PID" 12 | sed 's/^/    /'
done
