#!/usr/bin/env bash
# Whole-process timings of several commands in the same run, alternating them ROUNDS times: per
# run the wall and CPU seconds (user + sys), the peak RSS and the 1-minute load average just
# before the run; then per command the median and range of each, and the ratio of the medians
# to the first command (the baseline). With SAME_OUTPUT=1 every run must print the same bytes
# on stdout as the baseline's first run.
#
#   compare.sh ROUNDS NAME 'COMMAND' [NAME 'COMMAND']...
#
# e.g. compare.sh 3 openssl "python3 verify_openssl.py p.jsonl" sdk "kascompute verify --json --threads 2 p.jsonl"
set -euo pipefail
rounds=$1
shift
names=()
cmds=()
while [ $# -gt 0 ]; do
  names+=("$1")
  cmds+=("$2")
  shift 2
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "$(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for i in "${!names[@]}"; do
    n=${names[$i]}
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" ${cmds[$i]} > "$work/out" 2> "$work/err" || true
    read -r wall user sys rss < <(tail -n 1 "$work/time") # GNU time may put an exit status first
    cpu=$(echo "$user + $sys" | bc)
    echo "$n $wall $cpu $rss $load" >> "$work/times"
    printf '%-16s round %d: wall %7.2f s  cpu %7.2f s  rss %7d MB  load %s\n' "$n" "$r" "$wall" \
      "$cpu" "$((rss / 1024))" "$load"
    if [ "${SAME_OUTPUT:-0}" = 1 ]; then
      if [ ! -f "$work/expected" ]; then
        cp "$work/out" "$work/expected"
      elif ! cmp -s "$work/out" "$work/expected"; then
        echo "$n printed other bytes than ${names[0]}:" >&2
        diff "$work/out" "$work/expected" | head >&2
        exit 1
      fi
    fi
  done
done
# median, min and max of column $2 of the rows of command $1
stats() {
  awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$work/times" | sort -g |
    awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
      print m, a[1], a[NR]}'
}
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %22s %22s %22s %16s %s\n' command "wall s (min-max)" "cpu s (min-max)" \
  "rss MB (min-max)" "load (min-max)" "x ${names[0]} (wall)"
read -r base _ _ < <(stats "${names[0]}" 2)
for n in "${names[@]}"; do
  read -r w w0 w1 < <(stats "$n" 2)
  read -r c c0 c1 < <(stats "$n" 3)
  read -r m m0 m1 < <(stats "$n" 4)
  read -r l l0 l1 < <(stats "$n" 5)
  printf '%-16s %8.2f (%5.2f-%5.2f) %8.2f (%5.2f-%5.2f) %8d (%5d-%5d) %16s %6.2f\n' "$n" \
    "$w" "$w0" "$w1" "$c" "$c0" "$c1" "$((${m%.*} / 1024))" "$((m0 / 1024))" "$((m1 / 1024))" \
    "$l0-$l1" "$(echo "$base / $w" | bc -l)"
done
