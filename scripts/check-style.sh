#!/usr/bin/env bash
# check-style.sh [--root DIR] [--build DIR] [--baseline FILE] [--update-baseline]
#
# Holds the tree to its house style, and fails on anything new:
#   format      every C file as .clang-format says (clang-format --dry-run); no exceptions
#   cppcheck    its warnings (warning, portability), beyond those the baseline accepts
#   clang-tidy  a subset of its bugprone checks (TIDY_CHECKS), beyond the baseline
# The baseline (scripts/style-baseline.txt) counts accepted findings by tool, file and check:
# a file may keep its old findings, not add one. Lines move without touching it; a finding
# fixed lowers what --update-baseline writes.
#
# --root: the tree to check (default: this one), all its tracked *.c and *.h (or, outside
# git, every one under it). --build: a build directory with compile_commands.json, for
# clang-tidy (default ROOT/build; without one, clang-tidy is skipped and says so).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$here
build=
baseline=
update=0
while [ $# -gt 0 ]; do
	case $1 in
	--root) root=$(cd "$2" && pwd) || exit 2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--baseline) baseline=$2; shift 2 ;;
	--update-baseline) update=1; shift ;;
	-h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "check-style: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
build=${build:-$root/build}
baseline=${baseline:-$root/scripts/style-baseline.txt}

# The bugprone checks that find bugs rather than taste, less those whose every finding here
# was a deliberate idiom (see the baseline's history before widening this).
TIDY_CHECKS='-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,'\
'-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-bugprone-branch-clone,'\
'-bugprone-suspicious-string-compare'

for tool in clang-format cppcheck clang-tidy; do
	if ! command -v "$tool" >/dev/null; then
		echo "check-style: $tool is missing (scripts/setup.sh installs it)" >&2
		exit 77
	fi
done

cd "$root" || exit 2
if git -C "$root" rev-parse --show-toplevel >/dev/null 2>&1 &&
	[ "$(git -C "$root" rev-parse --show-toplevel)" = "$root" ]; then
	mapfile -t files < <(git ls-files '*.c' '*.h')
else
	mapfile -t files < <(find . -name '*.[ch]' -not -path './build*' | sed 's|^\./||' | sort)
fi
# Only the tree's own sources go to cppcheck and clang-tidy; the compat layer's headers are
# Linux's API, read by them as part of each source.
mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep '\.c$' |
	grep -v '^compat-kernel-api/include/' || true)

fail=0
found=$(mktemp)
trap 'rm -f "$found"' EXIT

# --- format: no baseline, the tree was formatted once
if ! out=$(clang-format --style=file --dry-run --Werror "${files[@]}" 2>&1); then
	echo "check-style: not formatted as .clang-format says (clang-format -i FILE fixes it):"
	printf '%s\n' "$out" | grep -o '^[^:]*\.[ch]:[0-9]*' | sort -u | sed 's/^/  /' | head -40
	fail=1
fi

# --- cppcheck: "cppcheck FILE ID" per finding
cppcheck --quiet --enable=warning,portability --std=c11 --inline-suppr \
	-D_GNU_SOURCE -D'SD_BUS_PARAM(x)=' -I. -Icompat-kernel-api/include \
	--template='cppcheck {file} {id} {line}: {message}' "${sources[@]}" 2>&1 |
	grep '^cppcheck ' >> "$found"

# --- clang-tidy: "clang-tidy FILE CHECK" per finding, on the sources the build compiles
if [ -f "$build/compile_commands.json" ]; then
	mapfile -t compiled < <(python3 - "$build/compile_commands.json" "$root" "${sources[@]}" <<'PY'
import json, os, sys
db, root, want = sys.argv[1], sys.argv[2], set(sys.argv[3:])
seen = set()
for e in json.load(open(db)):
    f = os.path.relpath(os.path.normpath(os.path.join(e["directory"], e["file"])), root)
    if f in want and f not in seen:
        seen.add(f)
        print(f)
PY
	)
	if [ ${#compiled[@]} -gt 0 ]; then
		clang-tidy -p "$build" --quiet --checks="$TIDY_CHECKS" "${compiled[@]}" 2>/dev/null |
			python3 -c '
import os, re, sys
root, build = sys.argv[1], sys.argv[2]
for line in sys.stdin:
    m = re.match(r"(.+?):(\d+):\d+: (?:warning|error): (.*) \[([\w.,-]+)\]$", line.rstrip())
    if m:
        # as the compilation named it: absolute, or from the tree or the build directory
        f = m.group(1)
        for base in (root, build):
            if os.path.exists(os.path.join(base, m.group(1))):
                f = os.path.join(base, m.group(1))
                break
        f = os.path.relpath(os.path.realpath(f), root)
        print("clang-tidy %s %s %s: %s" % (f, m.group(4), m.group(2), m.group(3)))
' "$root" "$build" >> "$found"
	fi
else
	echo "check-style: no $build/compile_commands.json: clang-tidy skipped (build first)"
fi

# --- against the baseline
counts=$(awk '{ print $1, $2, $3 }' "$found" | sort | uniq -c | awk '{ print $2, $3, $4, $1 }')
if [ $update = 1 ]; then
	{
		echo "# check-style.sh's accepted findings: tool file check count (--update-baseline)"
		[ -n "$counts" ] && printf '%s\n' "$counts"
	} > "$baseline"
	echo "check-style: baseline written to $baseline ($(wc -l < "$found") findings)"
	exit $fail
fi
new=$(python3 - "$baseline" "$found" <<'PY'
import collections, os, sys
base = collections.Counter()
if os.path.exists(sys.argv[1]):
    for line in open(sys.argv[1]):
        if line.strip() and not line.startswith("#"):
            tool, f, check, n = line.split()
            base[(tool, f, check)] = int(n)
seen = collections.defaultdict(list)
for line in open(sys.argv[2]):
    tool, f, check, rest = line.rstrip("\n").split(" ", 3)
    seen[(tool, f, check)].append(rest)
for key, where in sorted(seen.items()):
    if len(where) > base[key]:
        print("  %s: %s [%s]: %d, the baseline accepts %d:" % (key[0], key[1], key[2],
              len(where), base[key]))
        for w in where:
            print("    %s:%s" % (key[1], w))
PY
)
if [ -n "$new" ]; then
	echo "check-style: new findings (fix them; a false one gets an inline suppression that"
	echo "says why, as '// cppcheck-suppress ID' or '// NOLINT(check)'):"
	printf '%s\n' "$new"
	fail=1
fi
[ $fail = 0 ] && echo "check-style: ${#files[@]} files formatted; no new cppcheck or clang-tidy findings"
exit $fail
