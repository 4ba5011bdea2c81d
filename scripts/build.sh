#!/usr/bin/env bash
# Configure (once) and build nook in ./build (or $NOOK_BUILD_DIR). Extra arguments go to
# `meson setup` the first time, e.g. -Db_sanitize=address,undefined.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${NOOK_BUILD_DIR:-build}
[ -f "$build/build.ninja" ] || meson setup "$build" "$@"
ninja -C "$build"
