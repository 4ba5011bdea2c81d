#!/usr/bin/env bash
# Installs every Debian package nook needs to build, test and run its VM demo.
# Idempotent: when everything is present it checks and returns in well under a second.
set -euo pipefail

# Build: compiler, meson, the design card's libraries, cmocka for the unit tests, Zydis
# (the x86-64 decoder and encoder the fault-injection planner mutates driver code with),
# and linux-source-6.1, from which the build extracts the unmodified driver sources.
# VM rig: QEMU and a Debian kernel for the guest, busybox for its initramfs, and the
# userland the guest borrows from the host root (iperf3, ping, aplay, sox, dbus, polkitd, ...).
# Style: the formatter and the two static analysers scripts/check-style.sh runs.
packages=(
	build-essential meson ninja-build pkg-config
	libpciaccess-dev liburing-dev libev-dev libsystemd-dev libcmocka-dev libasound2-dev
	libzydis-dev
	linux-source-6.1 xz-utils
	qemu-system-x86 linux-image-amd64 busybox-static cpio kmod
	iperf3 iputils-ping iproute2 alsa-utils sox dbus polkitd pciutils pci.ids
	python3
	clang-format cppcheck clang-tidy
)

missing=()
while read -r name; do
	missing+=("$name")
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>&1 |
	awk '/^dpkg-query: no packages found matching/ { print $NF; next } $2 != "installed" { print $1 }')

if [ "${#missing[@]}" -eq 0 ]; then
	exit 0
fi

if ! command -v apt-get >/dev/null; then
	echo "setup: this is not a Debian system (no apt-get); install by hand: ${missing[*]}" >&2
	exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null; then
		echo "setup: packages are missing (${missing[*]}) and installing them needs root; run as root or install sudo" >&2
		exit 1
	fi
	sudo=(sudo)
fi

echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
