# Guest-side helpers for nook's VM scenarios (sourced by bash scenario scripts).
#
# A scenario prints one line per check, "ok - WHAT" or "not ok - WHAT", and ends with
# `summary`, which exits non-zero when any check failed.

CHECKS_RUN=0
CHECKS_FAILED=0

# check WHAT CMD...: run CMD; record and print the outcome. After a failure, a scenario's
# on_failure function (if it defines one) prints what would explain it, as "# " lines.
check() {
	local what=$1
	shift
	CHECKS_RUN=$((CHECKS_RUN + 1))
	if "$@"; then
		echo "ok - $what"
	else
		CHECKS_FAILED=$((CHECKS_FAILED + 1))
		echo "not ok - $what"
		if declare -F on_failure >/dev/null; then
			on_failure 2>&1 | sed 's/^/#   /'
		fi
	fi
}

# fatal MESSAGE: the scenario cannot go on.
fatal() {
	echo "not ok - $*"
	echo "# scenario stopped: $*"
	exit 1
}

# summary: the closing line and the exit status.
summary() {
	echo "# $((CHECKS_RUN - CHECKS_FAILED)) of $CHECKS_RUN checks passed"
	[ "$CHECKS_FAILED" -eq 0 ]
	exit $?
}

# wait_for SECONDS CMD...: retry CMD every 0.1 s until it succeeds or time runs out.
wait_for() {
	local tries=$(($1 * 10))
	shift
	while [ "$tries" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# pci_find VENDOR DEVICE [N]: the first (or Nth) PCI address with these IDs (hex, no 0x).
pci_find() {
	local d n=${3:-1}
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = "0x$1" ] && [ "$(cat "$d/device")" = "0x$2" ]; then
			n=$((n - 1))
			[ "$n" -gt 0 ] && continue
			basename "$d"
			return 0
		fi
	done
	return 1
}

# pci_driver BDF: the kernel driver bound to BDF now ("" when none).
pci_driver() {
	local l
	l=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) || return 0
	basename "$l"
}

# driver_is BDF NAME: BDF is bound to the kernel driver NAME (a command for wait_for, which
# runs it anew each try; `wait_for 5 test "$(pci_driver ...)" = X` would ask once).
driver_is() {
	[ "$(pci_driver "$1")" = "$2" ]
}

# vfio_bind BDF: hand BDF to vfio-pci (unbinding its kernel driver first).
vfio_bind() {
	local bdf=$1 drv
	modprobe vfio-pci || return 1
	drv=$(pci_driver "$bdf")
	[ "$drv" = vfio-pci ] && return 0
	[ -n "$drv" ] && echo "$bdf" > "/sys/bus/pci/devices/$bdf/driver/unbind"
	echo vfio-pci > "/sys/bus/pci/devices/$bdf/driver_override"
	echo "$bdf" > /sys/bus/pci/drivers_probe
	[ "$(pci_driver "$bdf")" = vfio-pci ] && [ -e "/dev/vfio/$(basename "$(readlink "/sys/bus/pci/devices/$bdf/iommu_group")")" ]
}

# vfio_unbind BDF: give BDF back to the kernel (driver_override cleared).
vfio_unbind() {
	local bdf=$1
	[ "$(pci_driver "$bdf")" = vfio-pci ] && echo "$bdf" > /sys/bus/pci/drivers/vfio-pci/unbind
	echo > "/sys/bus/pci/devices/$bdf/driver_override"
}
