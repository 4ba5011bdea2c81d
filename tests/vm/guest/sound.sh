#!/bin/bash
# Helpers for sound scenarios: run a nook sound driver standalone and reach it through nook's
# ALSA plugins from the build tree.

# The plugins, from the build tree, for every ALSA program of this scenario.
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$NOOK_BUILD/alsa-plugin/nook-alsa.conf
export NOOK_SOUND_DIR=/run/nook/sound

# sound_driver_up NAME BDF LOG: start nook-driver-NAME on BDF; wait for the card's socket.
# Sets SOUND_PID.
sound_driver_up() {
	local name=$1 bdf=$2 log=$3
	vfio_bind "$bdf" || return 1
	"$NOOK_BUILD/drivers/$name/nook-driver-$name" --device "$bdf" > "$log" 2>&1 &
	SOUND_PID=$!
	wait_for 15 test -S "$NOOK_SOUND_DIR/$bdf"
}

# sound_tone FILE RATE SECONDS FREQ: a stereo S16_LE sine at half scale.
sound_tone() {
	sox -q -n -r "$2" -c 2 -b 16 -e signed-integer "$1" synth "$3" sine "$4" vol 0.5
}
