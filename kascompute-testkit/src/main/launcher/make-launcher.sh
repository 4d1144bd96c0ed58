#!/bin/sh
# Build step (the package phase of kascompute-testkit): puts the launcher next to kascompute.jar
# and makes its class-data sharing archive. Two training runs through the launcher's class path
# list the classes they load: `kascompute dag hash` on a vector of this module and `kascompute
# verify` on training-proofs.jsonl (64 V1 job proofs of both schemes, 4 of them corrupted, made by
# kascompute-bench/peers/gen_v1_proofs.py --count 64 --seed 17 --nodes 8 --corrupt 0.1). The union
# of both lists is dumped as one static archive, which holds the JDK's classes and the SDK's,
# BouncyCastle's and Jackson's that the commands need, so both commands start from it (a dynamic
# archive on top of the JDK's only served the one training command). picocli's classes are
# compiled for Java 5 and CDS skips them: they load from the jar as usual.
# Usage: make-launcher.sh JAVA TARGET_DIR
set -eu
java=$1
target=$2
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
cp "$here/kascompute" "$target/kascompute"
chmod +x "$target/kascompute"
spec="$target/classes/io/kascompute/testkit/vectors/dag/duplicate-edges.spec.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {
  list=$1
  shift
  "$java" -XX:DumpLoadedClassList="$work/$list" -Xlog:disable -Xlog:all=warning:stderr \
    -XX:+UseSerialGC -XX:-UsePerfData -cp "$target/kascompute.jar" "$@" > /dev/null
}
run dag.classlist io.kascompute.testkit.cli.DagCommand hash "$spec"
# verify exits 1 because some training proofs are invalid on purpose; anything else is a failure.
status=0
run verify.classlist io.kascompute.testkit.cli.KasComputeCli verify --json --threads 2 \
  "$here/training-proofs.jsonl" 2> /dev/null || status=$?
if [ "$status" -ne 1 ]; then
  echo "make-launcher.sh: the verify training run exited with $status, not 1" >&2
  exit 1
fi
# One line per class: the ids that number each list's lines are dropped (only classes of custom
# class loaders, which neither run has, refer to them), then repeated lines (HotSpot 17 crashes
# dumping a list that names a lambda proxy twice).
cat "$work/dag.classlist" "$work/verify.classlist" | sed 's/ id: [0-9]*$//' | awk '!seen[$0]++' \
  > "$work/all.classlist"
rm -f "$target/kascompute.jsa"
# The dump warns about every class it skips (picocli's); only errors are worth the build log.
"$java" -Xshare:dump -XX:SharedClassListFile="$work/all.classlist" \
  -XX:SharedArchiveFile="$target/kascompute.jsa" -Xlog:disable -Xlog:all=error:stderr \
  -XX:+UseSerialGC -XX:-UsePerfData -cp "$target/kascompute.jar" > /dev/null
