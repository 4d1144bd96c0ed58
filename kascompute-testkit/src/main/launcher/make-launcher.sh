#!/bin/sh
# Build step (the package phase of kascompute-testkit): puts the launcher next to kascompute.jar
# and makes its class-data sharing archive from a training run of `kascompute dag hash` on a
# vector of this module (the launcher's class path, so the archive serves every command's classes
# that the run loaded; the others load from the jar as usual).
# Usage: make-launcher.sh JAVA TARGET_DIR
set -eu
java=$1
target=$2
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
cp "$here/kascompute" "$target/kascompute"
chmod +x "$target/kascompute"
spec="$target/classes/io/kascompute/testkit/vectors/dag/duplicate-edges.spec.json"
rm -f "$target/kascompute.jsa"
"$java" -XX:ArchiveClassesAtExit="$target/kascompute.jsa" -Xlog:disable -Xlog:all=warning:stderr \
  -XX:+UseSerialGC -XX:-UsePerfData -cp "$target/kascompute.jar" \
  io.kascompute.testkit.cli.DagCommand hash "$spec" > /dev/null
