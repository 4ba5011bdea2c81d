#!/bin/bash
# VM scenario: a local user's attacks on a sound card nookd serves (issue 21). The card's
# socket is open to every user, so as nobody, hostile-client (tests/vm/progs) tries to resize
# and reseal its stream's ring, holds a running stream whose wake-ups it never reads, opens
# 1,500 connections at once and floods the socket with malformed requests. While the stream
# and the connections are held, root's aplay must play a 2 s tone in full and `nookctl
# status` must answer; nookd, the card's driver and its restart count must come through it
# all unchanged.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/sound.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"
export NOOK_DRIVER_PATH=$NOOK_BUILD/drivers/ens1370

es=$(pci_find 1274 5000) || fatal "no ES1370 in the guest"
dev="nook:DEV=$es"
sound_tone /tmp/tone.wav 44100 2 440
modprobe vfio-pci || fatal "cannot load vfio-pci"
nookd_bus_up || fatal "no system bus"
nookd_start || fatal "nookd did not come up"
out=$(nookctl attach "$es" 2>&1)
check "ens1370: attached ($out)" grep -q "ens1370 is running" <<< "$out"
wait_for 15 test -S "$NOOK_SOUND_DIR/$es" || fatal "nookd serves no socket for $es"

# The program where nobody may run it (the build tree need not be readable by others).
hostile=/tmp/hostile-client
install -m 0755 "$NOOK_BUILD/tests/vm/progs/hostile-client" "$hostile" ||
	fatal "cannot copy hostile-client to $hostile"
# exec: run in the background, $! is the program itself, which the SIGTERMs below reach
as_nobody() { exec setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }
(as_nobody test -x "$hostile") || fatal "nobody cannot run $hostile"

# What must not change, whatever nobody does.
nookd_pid=$NOOKD_PID
drv_pid=$(status_field "$es" pid)
restarts=$(status_field "$es" restarts)
fds_before=$(ls "/proc/$nookd_pid/fd" | wc -l)
echo "# nookd pid $nookd_pid ($fds_before fds), ens1370 driver pid $drv_pid, $restarts restarts"

# 1. The ring memfd: resized, resealed, its wake-up fd written into.
out=$(as_nobody "$hostile" truncate "$es" 2>&1)
rc=$?
sed 's/^/# /' <<< "$out"
check "truncate: ftruncate of the ring to 0 bytes is refused" \
	grep -q "ftruncate the ring to 0 bytes: refused" <<< "$out"
check "truncate: ftruncate to double size is refused" \
	grep -q "ftruncate the ring to double its size.*: refused" <<< "$out"
check "truncate: the seals are sealed: not even an empty F_ADD_SEALS goes through" \
	grep -q "F_ADD_SEALS none (allowed only while unsealed): refused" <<< "$out"
check "truncate: every attempt on the ring and its wake-up fd was refused (exit $rc)" \
	test "$rc" = 0

# 2. A running stream (on a device aplay does not use) whose wake-ups are never read, from a
# blocking fd: nookd's signalling must find the fd full and go on.
block_log=$NOOK_OUT/hostile-block.log
as_nobody "$hostile" block "$es" 120 > "$block_log" 2>&1 &
block=$!
check "block: nobody's stream started, its wake-up fd blocking and never read" \
	wait_for 15 grep -q "stream started" "$block_log"
check "block: the wake-up fd fills up while the stream runs on" \
	wait_for 30 grep -q "the wake-up fd is full" "$block_log"

# 3. 1,500 connections at once, held: at most 32 of nobody's stay open (one is block's).
conns_log=$NOOK_OUT/hostile-connections.log
(ulimit -n 4096 && exec setpriv --reuid 65534 --regid 65534 --clear-groups \
	"$hostile" connections "$es" 1500 120) > "$conns_log" 2>&1 &
conns=$!
wait_for 90 grep -q "holding" "$conns_log"
sed 's/^/# /' "$conns_log"
line=$(grep "connections at once:" "$conns_log")
kept=$(sed -n 's/.*: \([0-9]*\) kept open by the server.*/\1/p' <<< "$line")
closed=$(sed -n 's/.*, \([0-9]*\) closed by it.*/\1/p' <<< "$line")
check "connections: of 1500 at once, nobody keeps at most 32 (${kept:-?} kept), the other ${closed:-?} are closed" \
	test -n "$kept" -a -n "$closed" -a "${kept:-99}" -le 32 -a "${kept:-0}" -ge 1 -a \
	"$((${kept:-0} + ${closed:-0}))" = 1500

# 4. Meanwhile, root.
check "while nobody holds its stream and connections, both hostile clients are still there" \
	kill -0 "$block" "$conns"
t0=$(date +%s%N)
timeout 20 aplay -q -D "$dev" /tmp/tone.wav 2> "$NOOK_OUT/aplay.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "root: aplay -D $dev of a 2 s tone exits 0 (rc $rc) with no error output ($(head -c 200 "$NOOK_OUT/aplay.err"))" \
	test "$rc" = 0 -a ! -s "$NOOK_OUT/aplay.err"
check "root: ... and plays it out: $ms ms, at least 1900" test "$ms" -ge 1900
status=$(timeout 20 "$NOOK_BUILD/ctl/nookctl" status "$es" 2>&1)
sed 's/^/# /' <<< "$status"
check "root: nookctl status $es answers, state running" \
	test "$(timeout 20 "$NOOK_BUILD/ctl/nookctl" status "$es" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = running

# The hostile clients end on SIGTERM: block asks nookd to STOP its stream first.
kill -TERM "$block"
wait "$block"
rc=$?
sed 's/^/# /' "$block_log"
check "block: nookd still served nobody's stream at the end (STOP answered, exit $rc)" test "$rc" = 0
kill -TERM "$conns"
wait "$conns"
grep " held, " "$conns_log" | sed 's/^/# /'
check "connections: nookd kept the ones it took open while they were held" \
	grep -q "after .* held, \([0-9]*\) of the \1 kept connections were still open" "$conns_log"

# 5. Malformed requests as fast as nookd takes them, then valid HELLOs.
out=$(as_nobody "$hostile" flood "$es" 5000 2>&1)
rc=$?
sed 's/^/# /' <<< "$out"
check "flood: 5000 malformed requests and 5000 HELLOs, every one answered in time (exit $rc)" \
	test "$rc" = 0

# Through it all: nookd, the driver, the service.
check "root: aplay still plays the tone after the flood" \
	timeout 20 aplay -q -D "$dev" /tmp/tone.wav
check "nookd's log says it refused connections from uid 65534" \
	grep -q "$es: sound: refused a connection from uid 65534" "$NOOK_OUT/nookd.log"
check "nookd is alive at the end, the same process (pid $nookd_pid)" \
	test "$(cat "/proc/$nookd_pid/comm" 2>/dev/null)" = nookd
check "the driver runs on, pid $drv_pid, $restarts restarts: unchanged" \
	test "$(status_field "$es" state)/$(status_field "$es" pid)/$(status_field "$es" restarts)" = \
	"running/$drv_pid/$restarts"
echo "# nookd's fds: $fds_before before the attacks, $(ls "/proc/$nookd_pid/fd" | wc -l) after"
check "nookd detaches the card and stops" nookd_stop
summary
