#!/bin/bash
# VM scenario: bad input to nook's VFIO backend gets one clear line and a non-zero exit:
# VFIO not loaded, an address that does not exist, a malformed address, and devices bound to
# a kernel driver or to none.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
T=$NOOK_BUILD/common/nook-vfio

# expect_error WHAT PATTERN CMD...: CMD fails and says PATTERN on stderr.
expect_error() {
	local what=$1 pattern=$2 err rc
	shift 2
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	sed "s/^/#   /" <<<"$err"
	check "$what" test "$rc" -ne 0 -a -n "$(grep -E -- "$pattern" <<<"$err")"
}

edu=$(pci_find 1234 11e8) || fatal "no edu device in the guest"
rtl=$(pci_find 10ec 8139) || fatal "no rtl8139 in the guest"

expect_error "without VFIO loaded: says to modprobe vfio-pci" \
	"/dev/vfio/vfio is missing.*modprobe vfio-pci" "$T" info "$edu"
modprobe vfio-pci
expect_error "an address that does not exist" "no PCI device 0000:00:1e.7" "$T" info 0000:00:1e.7
expect_error "a malformed address" "'00:zz.0' is not a PCI address" "$T" info 00:zz.0
expect_error "a device bound to no driver: says how to bind it" \
	"$rtl is bound to no driver, not vfio-pci.*driver_override" "$T" info "$rtl"
modprobe 8139cp
wait_for 5 driver_is "$rtl" 8139cp
expect_error "a device bound to a kernel driver: names it and says how to hand it over" \
	"$rtl is bound to 8139cp, not vfio-pci.*driver/unbind" "$T" info "$rtl"
check "the kernel's 8139cp still drives it" test "$(pci_driver "$rtl")" = 8139cp
expect_error "bad arguments print usage" "usage: nook-vfio" "$T" read "$edu"

# The edu device's group held open by another process: VFIO allows one user at a time.
vfio_bind "$edu" || fatal "cannot bind $edu to vfio-pci"
group=$(basename "$(readlink "/sys/bus/pci/devices/$edu/iommu_group")")
python3 -c "import os, sys, time; fd = os.open('/dev/vfio/$group', os.O_RDWR); print('held', flush=True); time.sleep(30)" > /tmp/held &
holder=$!
wait_for 5 grep -q held /tmp/held
expect_error "a device whose group another process holds: says so" 	"IOMMU group $group is in use by another process" "$T" info "$edu"
kill "$holder"
wait "$holder" 2>/dev/null

# Without CAP_IPC_LOCK the arena's pinned pages count against RLIMIT_MEMLOCK.
expect_error "a locked-memory limit below the DMA arena: names the limit and the fix" \
	"RLIMIT_MEMLOCK \(64 KiB\) is below the DMA arena's 4096 KiB: raise it" \
	setpriv --bounding-set=-ipc_lock --inh-caps=-ipc_lock -- \
	bash -c "ulimit -l 64 && exec $NOOK_BUILD/tests/vm/progs/edu-check $edu"
# edu-check's own verdict counts as well as its line: its output is taken whole, then read.
check "the device works again once the limit is lifted" \
	bash -c "out=\$($NOOK_BUILD/tests/vm/progs/edu-check $edu) && grep -q 'ok - what came back is byte-exact' <<<\"\$out\""
summary
