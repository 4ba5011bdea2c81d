#!/bin/bash
# VM scenario: bad input to nook-driver-e1000 gets one clear line, a non-zero exit and no
# half-created interface: a device the driver does not match, a device not bound to
# vfio-pci, and no permission to create the TAP interface.
set -u
. "$NOOK_SRC/tests/vm/guest/lib.sh"
driver=$NOOK_BUILD/drivers/e1000/nook-driver-e1000

# expect_error WHAT PATTERN CMD...: CMD fails, says PATTERN, and leaves no nook0 behind.
expect_error() {
	local what=$1 pattern=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	sed 's/^/#   /' <<<"$out" | grep -v '^#   <6>'
	check "$what" test "$rc" -ne 0 -a -n "$(grep -E -- "$pattern" <<<"$out")"
	check "... and no nook0 interface is left" test ! -e /sys/class/net/nook0
}

e1000=$(pci_find 8086 100e) || fatal "no e1000 in the guest"
edu=$(pci_find 1234 11e8) || fatal "no edu device in the guest"
rtl=$(pci_find 10ec 8139) || fatal "no rtl8139 in the guest"
modprobe tun || fatal "no tun module"
modprobe 8139cp && wait_for 5 driver_is "$rtl" 8139cp

vfio_bind "$edu" || fatal "cannot bind $edu to vfio-pci"
expect_error "a device the driver does not match: says so and how to see which it takes" \
	"$edu is not a device this driver supports.*--list-ids" \
	"$driver" --device "$edu" --ifname nook0
expect_error "a device bound to a kernel driver: names the driver and the fix" \
	"$rtl is bound to 8139cp, not vfio-pci" "$driver" --device "$rtl" --ifname nook0

vfio_bind "$e1000" || fatal "cannot bind $e1000 to vfio-pci"
expect_error "no permission to create a TAP interface: says what is needed" \
	"cannot create the network interface nook0: Operation not permitted.*CAP_NET_ADMIN" \
	setpriv --bounding-set=-net_admin --inh-caps=-net_admin -- \
	"$driver" --device "$e1000" --ifname nook0
expect_error "an unknown module parameter" "'NoSuchParam=1': no such module parameter" \
	"$driver" --device "$e1000" --ifname nook0 NoSuchParam=1

# After all that, the device still works.
"$driver" --device "$e1000" --ifname nook0 > /tmp/ok.log 2>&1 &
pid=$!
check "the e1000 still comes up afterwards" wait_for 10 test -e /sys/class/net/nook0
kill "$pid"
wait "$pid"
summary
