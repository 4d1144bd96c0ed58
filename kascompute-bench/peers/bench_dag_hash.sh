#!/usr/bin/env bash
# Whole-process timings of `kascompute dag hash` against the Python peer, in the same run.
#
# Usage: bench_dag_hash.sh [TASKS] [ROUNDS]   (defaults: 200000 tasks, 5 rounds)
# Needs: kascompute-testkit/target/kascompute.jar (./mvnw -B package -pl kascompute-testkit -am),
# python3, GNU time. Generates the spec with gen_dag_spec.py (seed 42) into $TMPDIR once, checks
# that every command prints the same bytes, then runs the commands in turns, ROUNDS times each, and
# prints the median wall time and peak RSS of each and the ratio to the Python peer.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tasks="${1:-200000}"
rounds="${2:-5}"
tmp="${TMPDIR:-/tmp}"
spec="$tmp/dag-spec-$tasks.json"
[ -s "$spec" ] || python3 "$here/gen_dag_spec.py" --tasks "$tasks" > "$spec"
target="$root/kascompute-testkit/target"
declare -A cmds
cmds[python]="python3 $here/dag_hash.py $spec"
cmds[java-plain]="java -jar $target/kascompute.jar dag hash $spec"
if [ -x "$target/kascompute" ]; then
  cmds[launcher]="$target/kascompute dag hash $spec"
  cmds[launcher-no-cds]="env KASCOMPUTE_CDS=off $target/kascompute dag hash $spec"
fi
names=(python java-plain)
[ -x "$target/kascompute" ] && names+=(launcher launcher-no-cds)
echo "spec: $spec ($(stat -c %s "$spec") bytes, $tasks tasks); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
expected="$(${cmds[python]} | sha256sum)"
for n in "${names[@]}"; do
  got="$(${cmds[$n]} | sha256sum)"
  [ "$got" = "$expected" ] || { echo "$n prints other bytes than the Python peer" >&2; exit 1; }
done
declare -A times rss
for ((r = 1; r <= rounds; r++)); do
  for n in "${names[@]}"; do
    out="$( { /usr/bin/time -f '%e %M' ${cmds[$n]} > /dev/null; } 2>&1 | tail -1)"
    times[$n]+="${out% *} "
    rss[$n]+="${out#* } "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
py="$(echo "${times[python]}" | median)"
printf '%-16s %10s %12s %8s   %s\n' command "median s" "peak RSS MB" "x python" "all runs (s)"
for n in "${names[@]}"; do
  t="$(echo "${times[$n]}" | median)"
  m="$(echo "${rss[$n]}" | median)"
  printf '%-16s %10s %12d %8.2f   %s\n' "$n" "$t" "$((m / 1024))" "$(echo "$py / $t" | bc -l)" "${times[$n]}"
done
