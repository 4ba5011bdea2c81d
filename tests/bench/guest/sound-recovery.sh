#!/bin/bash
# Benchmark (guest side): how long a sound card's stream stands still when nook recovers its
# driver from a crash (segv) and a hang, median of several, with the phases nookd measures
# from the detection (the new incarnation started: the standby handed the device; READY;
# the stream sounding again; its first period). For scale, the same boot times what the kernel's own driver takes from
# modprobe to its card being registered (what reloading a failed kernel driver costs, when
# the machine survived it). It measures; it does not pass or fail on a figure.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/sound.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"
export NOOK_DRIVER_PATH=$NOOK_BUILD/drivers/ens1370:$NOOK_BUILD/drivers/intel8x0
rounds=${NOOK_BENCH_ROUNDS:-3}
timeout_ms=1000

ms_now() { echo $(($(date +%s%N) / 1000000)); }

# kernel_load MODULE BDF: ms from modprobe to the card's registration, $rounds times.
kernel_load() {
	local t0 times=()
	for _ in $(seq "$rounds"); do
		t0=$(ms_now)
		modprobe "$1"
		wait_for 10 sh -c "ls /sys/bus/pci/devices/$2/sound 2>/dev/null | grep -q card" ||
			{ echo "bench: $1 registered no card" >&2; return 1; }
		times+=($(($(ms_now) - t0)))
		modprobe -r "$1"
	done
	echo "${times[*]}"
}

es=$(pci_find 1274 5000) || { echo "bench: no ES1370 in the guest"; exit 1; }
ac=$(pci_find 8086 2415) || { echo "bench: no AC97 in the guest"; exit 1; }
kernel_es=$(kernel_load snd-ens1370 "$es") || exit 1
kernel_ac=$(kernel_load snd-intel8x0 "$ac") || exit 1
modprobe vfio-pci || exit 1
nookd_bus_up || exit 1
# Failures every few seconds are this benchmark's plan, not a crash loop.
nookd_start --heartbeat-ms 100 --heartbeat-timeout-ms $timeout_ms --max-failures 64 || exit 1
sound_tone /tmp/long.wav 44100 $((8 * rounds + 4)) 440
for bdf in "$es" "$ac"; do
	nookctl attach "$bdf" > /dev/null || exit 1
	aplay -q -D "nook:DEV=$bdf" /tmp/long.wav &
	player=$!
	sleep 2
	restarts=0
	for kind in segv hang; do
		for _ in $(seq "$rounds"); do
			nookctl inject "$bdf" "$kind" > /dev/null || exit 1
			restarts=$((restarts + 1))
			wait_for 30 running_with "$bdf" $restarts && wait_for 30 traffic_back "$bdf" ||
				{ echo "bench: no recovery from $kind"; exit 1; }
			wait_for 10 has_standby "$bdf" || { echo "bench: no standby"; exit 1; }
			sleep 1.5
		done
	done
	kill "$player" 2>/dev/null
	wait "$player" 2>/dev/null
	nookctl status "$bdf" --json > "/tmp/recoveries-$bdf.json"
	stood_still "$bdf" > "/tmp/gaps-$bdf.txt"
done
nookd_stop

python3 - "$rounds" "$timeout_ms" "$es" "$kernel_es" "$ac" "$kernel_ac" <<'PY'
import json, statistics, sys
rounds, timeout = int(sys.argv[1]), int(sys.argv[2])
cards = [("ES1370 (snd-ens1370)", sys.argv[3], sys.argv[4]),
         ("AC97 (snd-intel8x0)", sys.argv[5], sys.argv[6])]
print(f"nook sound recovery, median of {rounds}, ms from detection (a hang is detected "
      f"{timeout} ms after the driver's last heartbeat); 'stood still': the stream's position, "
      f"from its last period before the failure to its first after")
print(f"  {'card':<21} {'kind':<5} {'started':>8} {'ready':>8} {'resumed':>8} "
      f"{'1st period':>11} {'stood still':>12} {'kernel reload':>14}")
for name, bdf, kernel in cards:
    recs = json.load(open(f'/tmp/recoveries-{bdf}.json'))['recoveries']
    gaps = [int(x) for x in open(f'/tmp/gaps-{bdf}.txt').read().split()]
    k = int(statistics.median(int(x) for x in kernel.split()))
    for i, kind in enumerate(('segv', 'hang')):
        rs = [r for r in recs if r['injected'] == kind]
        med = lambda key: int(statistics.median(r[key] for r in rs))
        g = gaps[i * rounds:(i + 1) * rounds]
        print(f"  {name:<21} {kind:<5} {med('started_ms'):>8} {med('ready_ms'):>8} "
              f"{med('carrier_ms'):>8} {med('traffic_ms'):>11} "
              f"{int(statistics.median(g)) if g else '?':>12} {k:>14}")
PY
