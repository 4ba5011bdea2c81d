#!/usr/bin/env bash
# The test command: set up this machine, build nook, run every test suite (unit, vm),
# and end with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/setup.sh || { echo "check: setting up the machine failed"; echo "0 passed, 1 failed"; exit 1; }
./scripts/build.sh || { echo "check: the build failed"; echo "0 passed, 1 failed"; exit 1; }

build=${NOOK_BUILD_DIR:-build}
meson test -C "$build" --print-errorlogs --num-processes "${NOOK_TEST_JOBS:-1}" "$@"
rc=$?
python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
kind = {"OK": "passed", "EXPECTEDFAIL": "passed", "SKIP": "skipped"}
with open(sys.argv[1]) as log:
    for line in log:
        result = json.loads(line)["result"]
        counts[kind.get(result, "failed")] += 1
print("{passed} passed, {failed} failed, {skipped} skipped".format(**counts))
PY
exit $rc
