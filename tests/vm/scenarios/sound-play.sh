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
check "unknown card: aplay fails, saying the card is not served by nook" \
	sh -c "! aplay -q -D nook:DEV=0000:09:00.0 /tmp/tone-b.wav 2>/tmp/err && grep -q \"not served by nook\" /tmp/err"
summary
