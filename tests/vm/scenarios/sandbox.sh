#!/bin/bash
# VM scenario: a driver process's sandbox under Debian's own kernel. test-spawn's unit
# tests run here first (the i386 check needs the IA32 emulation the host may lack, the
# memlock check CAP_SYS_RESOURCE); then sandbox-probe, started the way nookd starts a
# driver, is looked at the way a user would look at a running driver process.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
t=$NOOK_BUILD/tests/unit/daemon/test-spawn
probe=$NOOK_BUILD/tests/unit/daemon/sandbox-probe
[ -x "$t" ] && [ -x "$probe" ] || fatal "test-spawn or sandbox-probe is not built (cmocka missing?)"

out=$("$t" "$probe" 2>&1)
rc=$?
echo "$out" | sed 's/^/#   /'
check "test-spawn's tests pass under the guest's kernel" test "$rc" -eq 0
check "... none skipped" sh -c '! grep -q SKIPPED' <<<"$out"

# hold_start: start a probe through nook_spawn_driver; its lines in $hold_out, pid in $ppid.
hold_start() {
	coproc HOLD { "$t" --hold "$probe"; }
	hold_pid=$HOLD_PID
	hold_out=
	ppid=
	local line
	while read -r -t 20 -u "${HOLD[0]}" line; do
		case $line in
		"pid "*) ppid=${line#pid }; break ;;
		*) hold_out+="$line"$'\n' ;;
		esac
	done
}

hold_start
[ -n "$ppid" ] || fatal "the probe did not start: $hold_out"
status=/proc/$ppid/status
grep -E "^(Name|Uid|Gid|Groups|CapEff|NoNewPrivs|Seccomp|Seccomp_filters):" "$status" |
	sed 's/^/# probe status: /'
uid=$(awk '/^Uid:/ {print $2}' "$status")
check "it runs as an unprivileged user (uid $uid)" test "$uid" -ne 0
check "... with every uid the same" \
	test "$(awk '/^Uid:/ {print $2 $3 $4 $5}' "$status")" = "$uid$uid$uid$uid"
check "... and no capability" grep -q "^CapEff:[[:space:]]*0000000000000000$" "$status"
check "NoNewPrivs: 1" grep -q "^NoNewPrivs:[[:space:]]*1$" "$status"
check "Seccomp: 2 (filter), two filters stacked" \
	sh -c "grep -q '^Seccomp:[[:space:]]*2$' $status && grep -q '^Seccomp_filters:[[:space:]]*2$' $status"
check "ps names it sandbox-probe" test "$(ps -o comm= -p "$ppid")" = sandbox-probe

check "it cannot open a file (EACCES)" \
	grep -qx "probe: after:open-ro:/etc/ld.so.cache errno 13" <<<"$hold_out"
check "it cannot make a socket (SIGSYS naming socket)" \
	grep -qx "probe: after:socket sigsys socket" <<<"$hold_out"
check "it cannot fork (SIGSYS naming fork)" grep -qx "probe: after:fork sigsys fork" <<<"$hold_out"
check "its io_uring cannot open files either" grep -qx "probe: ring:openat -13" <<<"$hold_out"

root=/proc/$ppid/root
echo "# probe root: $(ls "$root" | tr '\n' ' ')"
check "its root has no /dev, /proc, /sys, /tmp, /home" \
	sh -c "! ls -d $root/dev $root/proc $root/sys $root/tmp $root/home 2>/dev/null | grep -q ."
check "its root is read-only" sh -c "! touch $root/new-file 2>/dev/null"
check "... and so is /usr in it" sh -c "! touch $root/usr/new-file 2>/dev/null"
for ns in mnt net ipc uts; do
	check "it has its own $ns namespace" \
		test "$(readlink /proc/$ppid/ns/$ns)" != "$(readlink /proc/self/ns/$ns)"
done
check "its network namespace holds only lo" \
	test "$(nsenter --net=/proc/$ppid/ns/net ip -o link | awk -F': ' '{print $2}')" = lo
check "its host name is its own" \
	test "$(nsenter --uts=/proc/$ppid/ns/uts hostname)" = nook-probe

echo >&"${HOLD[1]}"
read -r -t 20 -u "${HOLD[0]}" line
check "it exits 0 when its control socket closes ($line)" test "$line" = "exit 0"
wait "$hold_pid"

# nookd dies: its drivers die with it.
hold_start
[ -n "$ppid" ] || fatal "the second probe did not start"
{ kill -9 "$hold_pid" && wait "$hold_pid"; } 2>/dev/null
check "when the process that started it is killed, it dies too" \
	wait_for 5 sh -c "! kill -0 $ppid 2>/dev/null"
summary
