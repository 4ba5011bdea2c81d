#!/bin/bash
# VM scenario: nookd supervises both sound cards' drivers and serves their sockets. On each
# card aplay plays three 4 s tones, each at a frequency of its own: the first untouched, the
# second with the driver crashed (segv) in the middle, the third with it hung. aplay must
# not notice (exit 0, no underrun), the volume set before the failures must hold after
# them, and QEMU's recording (checked on the host side by tests/vm/sound-tones) must hold
# every tone whole. The gap the application saw is measured by nookd: how long the stream's
# position stood still.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/sound.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"
export NOOK_DRIVER_PATH=$NOOK_BUILD/drivers/ens1370:$NOOK_BUILD/drivers/intel8x0
HEARTBEAT_TIMEOUT_MS=1500

es=$(pci_find 1274 5000) || fatal "no ES1370 in the guest"
ac=$(pci_find 8086 2415) || fatal "no AC97 in the guest"
sound_tone /tmp/tone-1.wav 44100 4 440
sound_tone /tmp/tone-2.wav 44100 4 660
sound_tone /tmp/tone-3.wav 44100 4 990
sound_tone /tmp/tone-4.wav 44100 12 1320
modprobe vfio-pci || fatal "cannot load vfio-pci"
nookd_bus_up || fatal "no system bus"
nookd_start --heartbeat-ms 200 --heartbeat-timeout-ms $HEARTBEAT_TIMEOUT_MS ||
	fatal "nookd did not come up"

# play_timed DEV WAV NAME [FAULT BDF]: aplay WAV on DEV (injecting FAULT 1.5 s in); sets
# PLAY_RC and PLAY_MS (aplay's wall time), FAULT_MS and FAULT_END_MS (when the injection
# was asked for, and answered, from aplay's start), aplay's stderr in $NOOK_OUT/NAME.aplay.
play_timed() {
	local dev=$1 wav=$2 name=$3 fault=${4:-} bdf=${5:-} start pid
	start=$(date +%s%N)
	aplay -q -D "$dev" "$wav" 2> "$NOOK_OUT/$name.aplay" &
	pid=$!
	if [ -n "$fault" ]; then
		sleep 1.5
		FAULT_MS=$((($(date +%s%N) - start) / 1000000))
		nookctl inject "$bdf" "$fault" > /dev/null
		FAULT_END_MS=$((($(date +%s%N) - start) / 1000000))
	fi
	timeout 30 tail --pid="$pid" -f /dev/null
	wait "$pid"
	PLAY_RC=$?
	PLAY_MS=$((($(date +%s%N) - start) / 1000000))
}

# fail_mid_tone N FAULT WHAT RESTARTS: tone N played with FAULT injected mid-tone, which
# nookd must see as WHAT and recover from (RESTARTS restarts so far); $name, $dev and $bdf
# are the card's.
fail_mid_tone() {
	local n=$1 fault=$2 what=$3 restarts=$4
	play_timed "$dev" "/tmp/tone-$n.wav" "$name-$n" "$fault" "$bdf"
	check "$name: a $fault mid-tone: aplay exits 0" test "$PLAY_RC" = 0
	check "$name: ... and saw no underrun" test ! -s "$NOOK_OUT/$name-$n.aplay"
	gap=$(stood_still "$bdf" | tail -n 1)
	echo "# $name: $fault: the stream stood still for ${gap:-?} ms (nookd: from its last period before the failure to its first after; the heartbeat timeout is $HEARTBEAT_TIMEOUT_MS ms); aplay took $PLAY_MS ms for the 4 s tone"
	echo "# $name: $fault: recovery (detection, then ms to start/ready/sounding again/first period): $(last_recovery "$bdf")"
	check "$name: ... nookd measured the gap" test "$(stood_still "$bdf" | wc -l)" = "$restarts"
	check "$name: ... nookd saw the $what and restarted the driver" running_with "$bdf" "$restarts"
}

for card in "ens1370 $es es1370" "intel8x0 $ac ac97"; do
	set -- $card
	name=$1 bdf=$2 wav=$3
	dev="nook:DEV=$bdf"
	out=$(nookctl attach "$bdf" 2>&1)
	echo "# $out"
	check "$name: nookctl attach runs the driver under nookd" grep -q "$name is running" <<< "$out"
	check "$name: nookd serves the card on $NOOK_SOUND_DIR/$bdf" test -S "$NOOK_SOUND_DIR/$bdf"
	check "$name: status names the socket" \
		sh -c "$NOOK_BUILD/ctl/nookctl status $bdf | grep -q 'socket: *$NOOK_SOUND_DIR/$bdf'"

	play_timed "$dev" /tmp/tone-1.wav "$name-1"
	check "$name: aplay plays a 4 s 440 Hz tone through nookd (exit 0)" test "$PLAY_RC" = 0
	# The level before the failures, after the first tone (QEMU's AC97 applies its codec's
	# levels only once a voice is open).
	amixer -q -D "$dev" sset Master 100% unmute && amixer -q -D "$dev" sset PCM 100% unmute
	check "$name: amixer sets Master to 50%" amixer -q -D "$dev" sset Master 50%

	fail_mid_tone 2 segv crash 1
	fail_mid_tone 3 hang hang 2
	hung_from=$((FAULT_MS * 441 / 10)) hung_to=$((FAULT_END_MS * 441 / 10))
	check "$name: Master is still at 50% in the third incarnation" \
		sh -c "amixer -D '$dev' sget Master | grep -q '\[5[0-9]%\].*\[on\]'"
	out=$(nookctl inject "$bdf" bad-skb 2>&1)
	check "$name: a NIC's fault is refused for a sound card ($out)" grep -q "is for NICs" <<< "$out"
	if [ "$wav" = ac97 ]; then
		# The other kinds a sound card takes, one after another in a 12 s tone.
		aplay -q -D "$dev" /tmp/tone-4.wav 2> "$NOOK_OUT/$name-4.aplay" &
		player=$!
		sleep 1.5
		restarts=2
		for kind in abort leak wild-write; do
			nookctl inject "$bdf" "$kind" > /dev/null
			restarts=$((restarts + 1))
			check "$name: $kind mid-tone: recovered" wait_for 20 running_with "$bdf" $restarts
			echo "# $name: $kind: $(last_recovery "$bdf") | $(status_field "$bdf" last_failure)"
			sleep 1
		done
		wait "$player"
		check "$name: ... aplay played the 12 s tone through all three (exit 0, no underrun)" \
			test $? = 0 -a ! -s "$NOOK_OUT/$name-4.aplay"
	fi
	nookctl status "$bdf" | sed 's/^/# /'
	# QEMU's ES1370 model does not emulate the AK4531 mixer: its tones stay at full level.
	# It also starts its WAV file afresh each time the card's output is opened, as each new
	# incarnation does: its recording holds the rest of the last tone, from where nookd
	# picked the stream up after the hang (its log says at which frame). That frame is
	# checked against this side's clock: the hung driver's stream stood still while the
	# injection was under way, so nookd must pick it up no later than its end (and a
	# period) and not long before its start (aplay starting up). Every tone whole is the
	# AC97's recording's to show.
	case $wav in
	es1370)
		frame=$(sed -n "s/^\(<[0-7]>\)\?$bdf: sound: picking a playback stream up at frame \([0-9]*\)$/\2/p" \
			"$NOOK_OUT/nookd.log" | tail -n 1)
		check "$name: nookd's log says where it picked the stream up (frame ${frame:-?})" \
			test -n "$frame"
		check "$name: ... where the hang stopped it: frame ${frame:-?}, the clock says $hung_from-$hung_to" \
			test "${frame:-0}" -le $((hung_to + 6144)) -a "${frame:-0}" -ge $((hung_from - 44100))
		rest=$(python3 -c "print(f'{4 - ${frame:-0} / 44100:.3f}')")
		echo "--by-frequency 990:$rest" > "$NOOK_OUT/$wav.expect" ;;
	ac97) echo "--by-frequency 440:4 660:4:quieter 990:4:quieter 1320:12:quieter" > "$NOOK_OUT/$wav.expect" ;;
	esac
done
check "nookd detaches both cards and stops" nookd_stop
check "... and the sockets are gone" test ! -e "$NOOK_SOUND_DIR/$es" -a ! -e "$NOOK_SOUND_DIR/$ac"
summary
