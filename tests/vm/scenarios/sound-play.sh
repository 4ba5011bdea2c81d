#!/bin/bash
# VM scenario: Linux's snd-ens1370 and snd-intel8x0, unmodified, each driving its QEMU card
# from a user process; aplay, arecord and amixer reach them through nook's ALSA plugins.
# QEMU records what each card plays (ac97.wav, es1370.wav in the results): the host side of
# the test (tests/vm/sound-check) checks the tones' frequency, level and length.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/sound.sh"

es=$(pci_find 1274 5000) || fatal "no ES1370 in the guest"
ac=$(pci_find 8086 2415) || fatal "no AC97 in the guest"
sound_tone /tmp/tone.wav 44100 3 440

for card in "ens1370 $es" "intel8x0 $ac"; do
	set -- $card
	name=$1 bdf=$2 log=$NOOK_OUT/$name.log
	check "$name: the driver probes its card and serves it" sound_driver_up "$name" "$bdf" "$log"
	check "$name: aplay -D nook:DEV=$bdf plays a 3 s tone (exit 0)" \
		timeout 20 aplay -q -D "nook:DEV=$bdf" /tmp/tone.wav
	amixer -D "nook:DEV=$bdf" controls > "$NOOK_OUT/$name.controls" 2>&1
	check "$name: amixer lists the card's controls" grep -q "name='Master Playback Volume'\|name='PCM Playback Volume'\|name='Master Playback Switch'" "$NOOK_OUT/$name.controls"
	timeout 10 arecord -q -D "nook:DEV=$bdf" -f S16_LE -r 44100 -c 2 -d 1 /tmp/cap.wav
	check "$name: arecord captures 1 s of frames" \
		test "$(stat -c %s /tmp/cap.wav 2>/dev/null || echo 0)" -ge $((44100 * 4 * 9 / 10))
	kill -TERM "$SOUND_PID"
	check "$name: the driver stops on SIGTERM (exit 0)" wait "$SOUND_PID"
	check "$name: its socket is gone" test ! -e "$NOOK_SOUND_DIR/$bdf"
done
summary
