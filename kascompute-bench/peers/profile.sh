#!/usr/bin/env bash
# Records a JFR profile (settings=profile) of one `kascompute` command run through the launcher
# (kascompute-testkit/target/kascompute, with its class-data sharing archive) and summarises it
# with jfr_summary.py: hottest methods, samples per thread, GC pauses, allocation by class.
#
#   profile.sh OUT.jfr kascompute-args...     e.g. profile.sh /tmp/dag.jfr dag hash spec.json
#
# The recording stays in OUT.jfr (do not commit it); the summary goes to stdout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out=$1
shift
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
KASCOMPUTE_JAVA_OPTS="${KASCOMPUTE_JAVA_OPTS:-} -XX:StartFlightRecording=filename=$out,settings=profile" \
  /usr/bin/time -f "wall %e s, cpu %U+%S s, peak RSS %M KB" \
  "$root/kascompute-testkit/target/kascompute" "$@" > /dev/null || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/jfr_summary.py" "$out" "${TOP:-15}"
