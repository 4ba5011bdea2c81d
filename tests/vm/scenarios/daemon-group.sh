#!/bin/bash
# VM scenario: an e1000 sharing its IOMMU group (one PCI bridge) with an rtl8139 that the
# kernel's 8139cp drives. VFIO cannot give a process a group half-owned by the kernel, so
# nookd refuses to attach the e1000, names the other device, and changes nothing.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
. "$NOOK_SRC/tests/vm/guest/nookd.sh"

e1000=$(pci_find 8086 100e) || fatal "no e1000 in the guest"
rtl=$(pci_find 10ec 8139) || fatal "no rtl8139 in the guest"
group() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }
[ "$(group "$e1000")" = "$(group "$rtl")" ] || fatal "the two do not share a group (nook-vm -g)"
modprobe 8139cp && modprobe tun && modprobe vfio-pci || fatal "cannot load the modules"
check "8139cp drives the rtl8139" test "$(pci_driver "$rtl")" = 8139cp
nookd_bus_up || fatal "no system bus"
nookd_start || fatal "nookd did not come up"

out=$(nookctl attach "$e1000" 2>&1)
rc=$?
echo "# rc=$rc: $out"
check "attach is refused" test "$rc" -ne 0
check "the refusal names the group's other device and its driver" \
	grep -q "$rtl.*8139cp\|8139cp.*$rtl" <<< "$out"
check "the e1000 was not touched" test -z "$(pci_driver "$e1000")"
check "nor the rtl8139" test "$(pci_driver "$rtl")" = 8139cp
check "nookd is unharmed" nookctl list
out=$(nookctl attach "$e1000" --force 2>&1)
echo "# with --force: $out"
check "--force does not override a non-viable group" test -z "$(pci_driver "$e1000")"
summary
