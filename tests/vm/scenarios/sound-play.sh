#!/bin/bash
# VM scenario: Linux's snd-ens1370 and snd-intel8x0, unmodified, each driving its QEMU card
# from a user process; aplay and amixer reach them through nook's ALSA plugins. QEMU records
# what each card plays; tests/vm/sound-tones checks the recordings against the .expect
# files written here (frequency, length, level, and the mixer's effect).
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/sound.sh"

es=$(pci_find 1274 5000) || fatal "no ES1370 in the guest"
ac=$(pci_find 8086 2415) || fatal "no AC97 in the guest"
sound_tone /tmp/tone-a.wav 44100 3 440
sound_tone /tmp/tone-b.wav 44100 1 880
sound_tone /tmp/tone-c.wav 44100 1 440
sox -q -n -r 44100 -c 2 -b 32 -e signed-integer /tmp/tone-s32.wav synth 1 sine 440 vol 0.5

# A codec comes out of reset muted, as on real hardware (at boot, alsactl unmutes it). QEMU's
# AC97 applies its codec's volume registers (master times PCM, both mute bits) from the first
# write on, so there the mixer's effect is checked: unmuted at 100%, a tone at full level;
# Master at 50%, a quieter one. QEMU's ES1370 model does not emulate the AK4531 mixer: there
# only the controls' values can be checked, and the tone after them must still be full.
for card in "ens1370 $es es1370" "intel8x0 $ac ac97"; do
	set -- $card
	name=$1 bdf=$2 wav=$3 log=$NOOK_OUT/$1.log
	dev="nook:DEV=$bdf"
	check "$name: the driver probes its card and serves it" sound_driver_up "$name" "$bdf" "$log"
	check "$name: aplay -D $dev plays a 3 s 440 Hz tone (exit 0)" \
		timeout 20 aplay -q -D "$dev" /tmp/tone-a.wav
	amixer -D "$dev" controls > "$NOOK_OUT/$name.controls" 2>&1
	check "$name: amixer lists the card's controls" \
		grep -q "name='Master Playback Volume'" "$NOOK_OUT/$name.controls"
	check "$name: amixer unmutes Master and PCM at 100%" \
		sh -c "amixer -q -D '$dev' sset Master 100% unmute && amixer -q -D '$dev' sset PCM 100% unmute"
	check "$name: the values read back" \
		sh -c "amixer -D '$dev' sget Master | grep -q '\[100%\].*\[on\]' && amixer -D '$dev' sget PCM | grep -q '\[100%\].*\[on\]'"
	check "$name: a format the card cannot do (S32_LE) is refused: 'Sample format non available'" \
		sh -c "! timeout 20 aplay -q -D '$dev' /tmp/tone-s32.wav 2> /tmp/err && grep -q 'Sample format non available' /tmp/err"
	check "$name: aplay plays a 1 s 880 Hz tone after it" \
		timeout 20 aplay -q -D "$dev" /tmp/tone-b.wav
	check "$name: amixer sets Master Playback Volume to 50%" amixer -q -D "$dev" sset Master 50%
	check "$name: the value reads back" \
		sh -c "amixer -D '$dev' sget Master | grep -q '\[5[0-9]%\]'"
	check "$name: aplay plays a 1 s 440 Hz tone at that volume" \
		timeout 20 aplay -q -D "$dev" /tmp/tone-c.wav
	case $wav in
	es1370) echo "440:3 880:1 440:1" > "$NOOK_OUT/$wav.expect" ;;
	ac97) echo "440:3 880:1 440:1:quieter" > "$NOOK_OUT/$wav.expect" ;;
	esac
	kill -TERM "$SOUND_PID"
	check "$name: the driver stops on SIGTERM (exit 0)" wait "$SOUND_PID"
	check "$name: its socket is gone" test ! -e "$NOOK_SOUND_DIR/$bdf"
done
# Capture: the second ES1370 and AC97 have QEMU's "none" audio backend, whose input is
# silence at the card's rate.
es_in=$(pci_find 1274 5000 2) || fatal "no second ES1370 in the guest"
ac_in=$(pci_find 8086 2415 2) || fatal "no second AC97 in the guest"
for card in "ens1370 $es_in" "intel8x0 $ac_in"; do
	set -- $card
	name=$1 bdf=$2 log=$NOOK_OUT/$1-capture.log
	dev="nook:DEV=$bdf" take=$NOOK_OUT/$1-take.wav
	check "$name (capture card): the driver probes its card and serves it" \
		sound_driver_up "$name" "$bdf" "$log"
	check "$name: arecord -D $dev captures 2 s at 48 kHz stereo (exit 0)" \
		timeout 20 arecord -q -D "$dev" -f S16_LE -r 48000 -c 2 -d 2 "$take"
	frames=$(python3 -c "import sys, wave; print(wave.open(sys.argv[1]).getnframes())" "$take")
	check "$name: ... 96000 frames, as asked ($frames)" test "$frames" = 96000
	check "$name: ... all silence, as QEMU's none input gives" python3 -c "
import sys, wave
w = wave.open(sys.argv[1]); sys.exit(any(w.readframes(w.getnframes())))" "$take"
	timeout 20 arecord -D "$dev" -f S16_LE -r 96000 -c 2 -d 1 /tmp/fast.wav 2> /tmp/err
	got=$(sed -n 's/.*requested = 96000Hz, got = \([0-9]*\)Hz.*/\1/p' /tmp/err)
	check "$name: a rate the card cannot do (96 kHz) is not granted: arecord is told ${got:-?} Hz" \
		python3 -c "import sys, wave; sys.exit(not 0 < int('${got:-0}') <= 48000 or wave.open('/tmp/fast.wav').getframerate() != int('${got:-0}'))"
	kill -TERM "$SOUND_PID"
	check "$name: the capture driver stops on SIGTERM (exit 0)" wait "$SOUND_PID"
done
sound_driver_up intel8x0 "$ac_in" "$NOOK_OUT/mono.log" || fatal "intel8x0 did not come back"
check "intel8x0: mono capture, which the ICH cannot do, is refused: 'Channels count non available'" \
	sh -c "! timeout 20 arecord -q -D nook:DEV=$ac_in -f S16_LE -r 48000 -c 1 -d 1 /tmp/mono.wav 2> /tmp/err && grep -q 'Channels count non available' /tmp/err"
check "intel8x0: ... and stereo capture works right after" \
	timeout 20 arecord -q -D "nook:DEV=$ac_in" -f S16_LE -r 48000 -c 2 -d 1 /tmp/stereo.wav
kill -TERM "$SOUND_PID"
wait "$SOUND_PID"
check "unknown card: aplay fails, saying the card is not served by nook" \
	sh -c "! aplay -q -D nook:DEV=0000:09:00.0 /tmp/tone-b.wav 2>/tmp/err && grep -q \"not served by nook\" /tmp/err"
summary
