#!/usr/bin/env bash
# The main job: set up this machine, build nook, boot the test VM and show nook's VFIO
# backend, the unmodified e1000 in a user process, and nookd recovering it from every kind
# of failure while data flows.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/setup.sh
./scripts/build.sh >/dev/null
echo "Booting a QEMU guest (TCG, emulated VT-d IOMMU) with an edu DMA device, an e1000 and"
echo "an rtl8139 NIC, and ES1370 and AC97 sound cards..."
echo
NOOK_BUILD=$PWD/build exec tests/vm/nook-vm -d edu -d e1000 -d rtl8139 -d es1370 -d ac97 \
	tests/vm/guest/demo.sh
