#!/usr/bin/env bash
# The test command: set up this machine, build nook, run every test suite (unit, vm), run
# the unit suite again in a sanitizer build (ASan + UBSan), and end with one line:
# "N passed, N failed, N skipped". Under CI=true a skipped test counts as failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${NOOK_BUILD_DIR:-build}
asan_build=${NOOK_ASAN_BUILD_DIR:-build-asan}
logs=()
rc=0

fail_early() {
	echo "check: $1"
	echo "0 passed, 1 failed"
	exit 1
}

./scripts/setup.sh || fail_early "setting up the machine failed"
./scripts/build.sh || fail_early "the build failed"

meson test -C "$build" --print-errorlogs --num-processes "${NOOK_TEST_JOBS:-1}" "$@" || rc=1
logs+=("$build/meson-logs/testlog.json")

if [ "${NOOK_ASAN:-1}" = 1 ] && [ $# -eq 0 ]; then
	NOOK_BUILD_DIR=$asan_build ./scripts/build.sh -Db_sanitize=address,undefined \
		-Db_lundef=false || fail_early "the sanitizer build failed"
	meson test -C "$asan_build" --suite unit --print-errorlogs || rc=1
	logs+=("$asan_build/meson-logs/testlog.json")
fi

# Under CI (CI=true) a test that skipped is a failure: a green run must have run everything
# (a VM suite with no QEMU or no kernel skips whole).
python3 - "${logs[@]}" <<'PY' || rc=1
import json, os, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
kind = {"OK": "passed", "EXPECTEDFAIL": "passed", "SKIP": "skipped"}
ci = os.environ.get("CI") == "true"
for path in sys.argv[1:]:
    with open(path) as log:
        for line in log:
            test = json.loads(line)
            k = kind.get(test["result"], "failed")
            if k == "skipped" and ci:
                print("check: %s skipped; under CI a skip is a failure" % test["name"])
                k = "failed"
            counts[k] += 1
print("{passed} passed, {failed} failed, {skipped} skipped".format(**counts))
sys.exit(1 if ci and counts["failed"] else 0)
PY
exit $rc
