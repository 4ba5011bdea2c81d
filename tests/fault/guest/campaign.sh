#!/bin/bash
# Guest side of a fault-injection campaign (tests/fault/swifi runs it through nook-vm): nookd
# under its default restart policy supervises the device under test and, as a bystander
# that no trial may disturb, a second nook device; then campaign.py runs the trials.
# Environment (from tests/fault/swifi): NOOK_SWIFI_DRIVER, NOOK_SWIFI_TRIALS, NOOK_SWIFI_SEED,
# NOOK_SWIFI_CLASS, NOOK_SWIFI_COUNT, NOOK_SWIFI_FIRST (the first trial's number).
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/net.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"
. "$NOOK_SRC/tests/vm/guest/sound.sh"

drv=$NOOK_SWIFI_DRIVER
bin=$NOOK_BUILD/drivers/$drv/nook-driver-$drv
planner=$NOOK_BUILD/tests/fault/nook-swifi
functions=$NOOK_BUILD/drivers/$drv/nook-driver-$drv.functions

# profile BDF: which of the driver's functions the campaign's workload runs, from one run of
# the driver program, standalone, with a probe on every function's entry, under that
# workload (a NIC: ping and a TCP transfer; a sound card: aplay); code faults are then
# planned in those functions only, where they can fire. The run also counts how often the
# driver passes each site of interface and device faults (--fault count), so that their N is
# drawn from what an incarnation reaches. Writes $NOOK_OUT/hot.functions and $NOOK_OUT/passes.
profile() {
	local bdf=$1 pid pinger probes=() p
	# (no process substitution: the guest's /dev has no /dev/fd)
	"$planner" probes --driver "$bin" --functions "$functions" > /tmp/probes || return 1
	while read -r p; do probes+=(--fault "$p"); done < /tmp/probes
	probes+=(--fault count)
	vfio_bind "$bdf" || return 1
	case $drv in
	ens1370|intel8x0)
		"$bin" --device "$bdf" "${probes[@]}" > "$NOOK_OUT/profile.log" 2>&1 &
		pid=$!
		wait_for 15 test -S "$NOOK_SOUND_DIR/$bdf" || return 1
		sound_tone /tmp/profile-tone.wav 44100 3 440
		aplay -q -D "nook:DEV=$bdf" /tmp/profile-tone.wav
		;;
	*)
		"$bin" --device "$bdf" --ifname nook0 "${probes[@]}" > "$NOOK_OUT/profile.log" 2>&1 &
		pid=$!
		wait_for 15 test -e /sys/class/net/nook0 || return 1
		net_local_up nook0
		net_wait_ping || return 1
		ip netns exec "$NET_PEER_NS" timeout 60 python3 \
			"$NOOK_SRC/tests/vm/guest/tcp-transfer.py" recv 5301 > /dev/null &
		sleep 0.5
		# a trial's load: its transfer's 6 MiB and 3 s of pings
		ping -c 60 -i 0.05 "$NET_PEER_IP" > /dev/null &
		pinger=$!
		timeout 60 python3 "$NOOK_SRC/tests/vm/guest/tcp-transfer.py" send \
			"$NET_PEER_IP" 5301 $((6 << 20)) > /dev/null
		wait "$pinger"
		ip link set nook0 down
		ip link set nook0 up
		;;
	esac
	kill -TERM "$pid"
	wait "$pid"
	vfio_unbind "$bdf"
	# the probes that fired, by address, to the functions there
	sed -n 's/.*planned fault fired: probe:\(0x[0-9a-f]*\).*/\1/p' "$NOOK_OUT/profile.log" \
		> /tmp/hot.addresses
	"$planner" functions --driver "$bin" --functions "$functions" |
		awk 'NR == FNR { ran[$1] = 1; next } ran[$3] { print $1 }' /tmp/hot.addresses - |
		sort -u > "$NOOK_OUT/hot.functions"
	sed -n 's/.*fault site passes: //p' "$NOOK_OUT/profile.log" > "$NOOK_OUT/passes"
	echo "# profile: $(wc -l < "$NOOK_OUT/hot.functions") of $(wc -l < "$functions") functions ran under the workload; fault sites passed: $(tr '\n' ' ' < "$NOOK_OUT/passes")"
	[ -s "$NOOK_OUT/hot.functions" ]
}
# the bystanders: an ES1370 beside a NIC, an rtl8139 (8139cp) beside a sound card
export NOOK_DRIVER_PATH=$NOOK_BUILD/drivers/$drv:$NOOK_BUILD/drivers/ens1370:$NOOK_BUILD/drivers/8139cp
modprobe tun && modprobe vfio-pci || fatal "cannot load tun and vfio-pci"
nookd_bus_up || fatal "no system bus"

case $drv in
e1000|8139cp|pcnet32|e100)
	net_nic_up "$drv" || fatal "no $drv NIC and peer to test with"
	profile "$NIC" || fatal "the profile run failed (see profile.log)"
	nookd_start || fatal "nookd did not come up"
	nookctl attach "$NIC" --ifname nook0 > /dev/null || fatal "attach failed"
	net_local_up nook0
	net_wait_ping || fatal "no ping through nook0"
	dut=$NIC
	bystander=$(pci_find 1274 5000) || fatal "no ES1370 in the guest to stand by"
	;;
ens1370|intel8x0)
	if [ "$drv" = ens1370 ]; then
		dut=$(pci_find 1274 5000) || fatal "no ES1370 in the guest"
	else
		dut=$(pci_find 8086 2415) || fatal "no AC97 in the guest"
	fi
	profile "$dut" || fatal "the profile run failed (see profile.log)"
	nookd_start || fatal "nookd did not come up"
	nookctl attach "$dut" > /dev/null || fatal "attach failed"
	bystander=$(pci_find 10ec 8139) || fatal "no rtl8139 in the guest to stand by"
	;;
*)
	fatal "no campaign for driver '$drv'"
	;;
esac
nookctl attach "$bystander" > /dev/null || fatal "the bystander $bystander did not attach"
wait_state "$dut" running 30 || fatal "$dut is not running"
wait_state "$bystander" running 30 || fatal "the bystander $bystander is not running"

python3 "$NOOK_SRC/tests/fault/guest/campaign.py" --driver "$drv" --device "$dut" \
	--bystander "$bystander" --nookd-pid "$NOOKD_PID" \
	--binary "$bin" --functions "$NOOK_OUT/hot.functions" --passes "$NOOK_OUT/passes" \
	--planner "$planner" \
	--trials "$NOOK_SWIFI_TRIALS" --seed "$NOOK_SWIFI_SEED" --first "${NOOK_SWIFI_FIRST:-0}" \
	--class "$NOOK_SWIFI_CLASS" --count "$NOOK_SWIFI_COUNT" \
	${NOOK_SWIFI_REPLAY:+--replay "$NOOK_SWIFI_REPLAY"} \
	${NOOK_SWIFI_FAULT:+--fault "$NOOK_SWIFI_FAULT"} --out "$NOOK_OUT/swifi.jsonl"
rc=$?
nookd_stop
exit $rc
