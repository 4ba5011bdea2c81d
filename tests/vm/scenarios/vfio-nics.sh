#!/bin/bash
# VM scenario: QEMU's e1000 and ES1370 through nook's VFIO backend: IDs from config space,
# one register of e1000's memory BAR and one of ES1370's I/O-port BAR.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
T=$NOOK_BUILD/common/nook-vfio

e1000=$(pci_find 8086 100e) || fatal "no e1000 in the guest"
es=$(pci_find 1274 5000) || fatal "no ES1370 in the guest"
vfio_bind "$e1000" || fatal "cannot bind $e1000 to vfio-pci"
vfio_bind "$es" || fatal "cannot bind $es to vfio-pci"

check "e1000: vendor ID 8086 from config space" test "$($T config "$e1000" 0 --width 16)" = 0x8086
check "e1000: device ID 100e from config space" test "$($T config "$e1000" 2 --width 16)" = 0x100e
check "ES1370: vendor ID 1274 from config space" test "$($T config "$es" 0 --width 16)" = 0x1274
check "ES1370: device ID 5000 from config space" test "$($T config "$es" 2 --width 16)" = 0x5000

# RAL0/RAH0 (0x5400/0x5404) hold the MAC QEMU gave the NIC (52:54:00:00:00:10), with the
# address-valid bit (31) of RAH0 set.
check "e1000 BAR0 RAL0 holds 52:54:00:00" test "$($T read "$e1000" 0 0x5400)" = 0x00005452
check "e1000 BAR0 RAH0 holds 00:10, address valid" test "$($T read "$e1000" 0 0x5404)" = 0x80001000
check "e1000 info shows BAR0 as a mappable memory BAR" \
	sh -c "$T info $e1000 | grep -qE 'BAR0 .*memory.*mmap'"

# ES1370 after reset (QEMU's es1370_reset): control 0x1, status 0x60. BAR0 is I/O ports.
check "ES1370 info shows BAR0 as an I/O-port BAR" sh -c "$T info $es | grep -qE 'BAR0 .*io-port'"
check "ES1370 I/O BAR0 control register reads 0x1" test "$($T read "$es" 0 0x0)" = 0x00000001
check "ES1370 I/O BAR0 status register reads 0x60" test "$($T read "$es" 0 0x4)" = 0x00000060
summary
