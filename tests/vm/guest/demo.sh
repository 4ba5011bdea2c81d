#!/bin/bash
# The demo, inside the guest: hand each PCI device to vfio-pci and show what nook's VFIO
# backend sees of it.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
T=$NOOK_BUILD/shims/vfio/nook-vfio

echo "== The guest's PCI devices (QEMU's models, each behind its own PCIe root port)"
lspci -nn | grep -vE 'bridge|Virtio|SATA|SMBus|PCI bridge|Host'
echo
modprobe vfio-pci
for ids in 1234:11e8 8086:100e 10ec:8139 1274:5000 8086:2415; do
	bdf=$(pci_find "${ids%:*}" "${ids#*:}") || continue
	name=$(lspci -s "$bdf" | cut -d' ' -f2-)
	echo "== $bdf  $name"
	vfio_bind "$bdf" || { echo "   could not bind it to vfio-pci"; continue; }
	"$T" info "$bdf" | sed 's/^/   /'
	case "$ids" in
	1234:11e8) echo "   edu identification register (BAR0+0x0): $("$T" read "$bdf" 0 0)" ;;
	8086:100e) echo "   e1000 MAC in RAL0/RAH0 (BAR0+0x5400): $("$T" read "$bdf" 0 0x5400) $("$T" read "$bdf" 0 0x5404)" ;;
	1274:5000) echo "   ES1370 status register (I/O BAR0+0x4): $("$T" read "$bdf" 0 4)" ;;
	esac
	echo
done
echo "== QEMU's edu device driven from user space through VFIO and the IOMMU"
edu=$(pci_find 1234 11e8) && "$NOOK_BUILD/tests/vm/progs/edu-check" "$edu" | sed 's/^/   /'
echo "   guest kernel on the refused DMA: $(dmesg | grep -m1 'DMA Write' | sed 's/^\[[^]]*\] //')"
