#!/usr/bin/env bash
# Times `kascompute verify --json --threads 2` against the OpenSSL peer (verify_openssl.py) on the
# same JSON Lines file, alternating the two ROUNDS times, and checks that both print the same
# bytes. Prints, per run, wall and CPU seconds (user + sys) and the peak RSS, then the medians,
# the ratio of the medians and CPU-seconds per 100,000 proofs.
#
#   audit_vs_openssl.sh JAR PROOFS [ROUNDS]     (JAVA_OPTS: extra JVM options, e.g. CDS)
set -euo pipefail
jar=$1
proofs=$2
rounds=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lines=$(grep -c . "$proofs" || true)

run() { # name, command...
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err" || true
  # GNU time puts "Command exited with non-zero status N" first when some proofs are invalid
  read -r wall user sys rss < <(tail -n 1 "$work/time")
  echo "$name $wall $(echo "$user + $sys" | bc) $rss" >> "$work/times"
  printf '%-5s wall %6.2f s  cpu %6.2f s  rss %7d KB  (load %s)\n' "$name" "$wall" \
    "$(echo "$user + $sys" | bc)" "$rss" "$(cut -d' ' -f1 /proc/loadavg)"
}

for ((i = 1; i <= rounds; i++)); do
  # shellcheck disable=SC2086
  run sdk java ${JAVA_OPTS:-} -jar "$jar" verify --json --threads 2 "$proofs"
  run peer python3 "$here/verify_openssl.py" "$proofs"
  cmp -s "$work/sdk.out" "$work/peer.out" || { echo "verdicts differ:"; diff "$work/sdk.out" "$work/peer.out" | head; exit 1; }
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
sdk_wall=$(awk '$1=="sdk"{print $2}' "$work/times" | median)
peer_wall=$(awk '$1=="peer"{print $2}' "$work/times" | median)
sdk_cpu=$(awk '$1=="sdk"{print $3}' "$work/times" | median)
peer_cpu=$(awk '$1=="peer"{print $3}' "$work/times" | median)
echo "proofs $lines, identical verdicts on every run"
echo "median wall: sdk $sdk_wall s, peer $peer_wall s, ratio $(echo "scale=2; $peer_wall / $sdk_wall" | bc)x"
echo "median cpu:  sdk $sdk_cpu s, peer $peer_cpu s"
echo "cpu-s per 100k proofs: sdk $(echo "scale=2; $sdk_cpu * 100000 / $lines" | bc), peer $(echo "scale=2; $peer_cpu * 100000 / $lines" | bc)"
