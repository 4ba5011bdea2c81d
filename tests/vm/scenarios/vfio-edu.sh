#!/bin/bash
# VM scenario: nook's VFIO backend drives QEMU's edu device (1234:11e8): mmapped BAR
# registers, DMA through the IOMMU from and to the arena, INTx and MSI on eventfds, and a
# DMA to an unmapped IOVA that the IOMMU refuses without harm.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"

edu=$(pci_find 1234 11e8) || fatal "no edu device in the guest"
vfio_bind "$edu" || fatal "cannot bind $edu to vfio-pci"

out=$("$NOOK_BUILD/tests/vm/progs/edu-check" "$edu")
rc=$?
echo "$out"
check "edu-check passes every check" test "$rc" -eq 0

# The refused DMA: the guest kernel's IOMMU driver reports a fault for this device at the
# IOVA edu-check used, and nothing worse happened.
iova=$(sed -n 's/^# unmapped-dma-iova //p' <<<"$out")
short=${edu#0000:}
check "the IOMMU reported a DMA write fault for $short at $iova" \
	wait_for 5 sh -c "dmesg | grep -q 'DMA Write.*device \[$short\] fault addr $iova'"
check "the guest kernel logged no oops or BUG" sh -c "! dmesg | grep -qE 'Oops|BUG:|Kernel panic'"
check "the guest keeps running (the device can be opened again)" \
	"$NOOK_BUILD/common/nook-vfio" read "$edu" 0 0
summary
