#!/bin/bash
# VM scenario: silent failures of a supervised sound card's driver, on each card (AC97 and
# ES1370). First, streams that stand still as they should (drained, stopped, run dry), each
# held open for 11 s, must be left alone. Then, while aplay plays a 10 s tone, the driver's
# pointer callback is patched from outside with gdb to return 0 at once: the stream's
# position stops advancing though the card's interrupts go on. nookd must see the driver
# alive but silent, kill it and have a new one running within 5 s, say so in `nookctl
# status`, and aplay must play on to the end and exit 0.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/sound.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"
export NOOK_DRIVER_PATH=$NOOK_BUILD/drivers/ens1370:$NOOK_BUILD/drivers/intel8x0

command -v gdb > /dev/null || fatal "no gdb in the guest"
es=$(pci_find 1274 5000) || fatal "no ES1370 in the guest"
ac=$(pci_find 8086 2415) || fatal "no AC97 in the guest"
sound_tone /tmp/tone.wav 44100 10 440
modprobe vfio-pci || fatal "cannot load vfio-pci"
nookd_bus_up || fatal "no system bus"
nookd_start --heartbeat-ms 200 --heartbeat-timeout-ms 3000 || fatal "nookd did not come up"

for card in "intel8x0 $ac snd_intel8x0_pcm_pointer" "ens1370 $es snd_ensoniq_playback2_pointer"; do
	set -- $card
	name=$1 bdf=$2 pointer=$3
	dev="nook:DEV=$bdf"
	out=$(nookctl attach "$bdf" 2>&1)
	check "$name: attached ($out)" grep -q "$name is running" <<< "$out"

	pid=$(status_field "$bdf" pid)
	for how in drained stopped underrun; do
		out=$(python3 "$NOOK_SRC/tests/vm/guest/pcm-hold.py" "$dev" "$how" 11 2>&1)
		check "$name: a stream $how, held open 11 s (${out:-nothing said})" test $? = 0
	done
	check "$name: ... none of them was taken for a stall: pid $pid, no restart" \
		test "$(status_field "$bdf" pid)/$(status_field "$bdf" restarts)" = "$pid/0"

	aplay -q -D "$dev" /tmp/tone.wav 2> "$NOOK_OUT/$name.aplay" &
	player=$!
	sleep 2
	pid=$(status_field "$bdf" pid)
	if driver_patch_return "$bdf" "$pointer" 0; then
		echo "# $name: $pointer of pid $pid returns 0 from now"
		times=$(time_to_restart "$bdf" "$pid")
		echo "# $name: killed ${times% *} ms, a new driver running ${times#* } ms after the patch"
		echo "# $name: last failure: $(status_field "$bdf" last_failure)"
		echo "# $name: recovery (detection, then ms to start/ready/sounding again/first period): $(last_recovery "$bdf")"
		check "$name: a stream standing still: restarted within 5 s (${times#* } ms)" \
			test -n "$times" -a "${times#* }" -le 5000
		check "$name: status says why" sh -c "$NOOK_BUILD/ctl/nookctl status $bdf | grep -q \
			\"last failure: *silent: a running stream's position stood still for\""
		check "$name: the recovery log names a silent failure" \
			test "$(last_recovery "$bdf" | cut -d' ' -f1)" = silent
	else
		check "$name: gdb patched $pointer in pid $pid" false
	fi
	# (a stream that never moves again would hold aplay for ever)
	timeout 40 tail --pid="$player" -f /dev/null || kill "$player"
	wait "$player"
	rc=$?
	check "$name: aplay played the tone to its end and exited 0 (rc $rc: $(head -c 200 "$NOOK_OUT/$name.aplay"))" \
		test "$rc" = 0
	check "$name: the new driver runs, restarted once" running_with "$bdf" 1
	nookctl status "$bdf" | sed 's/^/# /'
done
check "nookd detaches both cards and stops" nookd_stop
summary
