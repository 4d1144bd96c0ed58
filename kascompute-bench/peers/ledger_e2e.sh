#!/usr/bin/env bash
# End-to-end check of the verifiable ledger (issue 13) against an independent verifier.
#
#   kascompute-bench/peers/ledger_e2e.sh [JAR] [FLEET_SECONDS]
#
# JAR defaults to kascompute-testkit/target/kascompute.jar (build it with
# `./mvnw -B -q -o package -DskipTests -pl kascompute-testkit -am`), FLEET_SECONDS to 20.
# Starts `kascompute serve` with a fresh coordinator key, runs a fleet (SDK and launcher nodes,
# a DAG run and plain jobs) plus a node of our own that rotates its key, fetches the ledger,
# runs the fleet again on a second DAG run, fetches it again, and then:
#   - verify_ledger.py (independent: RFC 9162, C2SP signed note, every entry's proof, inclusion of
#     random entries and the consistency of the two checkpoints, fetched from the server)
#     on export 2 with export 1 as the earlier one: must exit 0;
#   - kascompute audit and kascompute ledger verify-consistency on the same: must exit 0;
#   - both audits of a copy with one altered byte in one entry's signature: exit 1, naming it;
#   - both audits, with --url, of a copy with one altered byte in an unsigned member
#     (accepted_unix, so that only the root differs): exit 1, naming it.
#   - both audits of logs signed with the coordinator key itself (root and checkpoint hold): a
#     repeated proof, a rotation with an altered consent, a dropped rotation: exit 1, naming it.
# The vkey is computed from the coordinator's public key and the origin by verify_ledger.py, not
# taken from the server. Exit 0 when every expectation holds, 1 otherwise. KEEP=1 keeps the
# working directory.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
JAR=${1:-kascompute-testkit/target/kascompute.jar}
SECS=${2:-20}
ORIGIN=e2e.kascompute.test/ledger
PY=python3
VERIFY="$HERE/verify_ledger.py"
[ -f "$JAR" ] || { echo "error: no jar at $JAR" >&2; exit 2; }
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ledger_e2e.XXXXXX")
SERVER_PID=
kc() { java -jar "$JAR" "$@"; }

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

FAILED=0
RESULTS=()
expect() { # expect NAME WANT_RC GOT_RC [MUST_CONTAIN FILE]
  local name=$1 want=$2 got=$3 ok=1
  [ "$got" = "$want" ] || ok=0
  if [ $# -ge 5 ] && ! grep -q -- "$4" "$5"; then ok=0; fi
  if [ $ok = 1 ]; then RESULTS+=("ok    $name (exit $got)"); else
    RESULTS+=("FAIL  $name (exit $got, wanted $want${4:+ and '$4'})"); FAILED=1; fi
}
timed() { # timed OUTFILE CMD...: runs CMD, stdout+stderr into OUTFILE, prints "rc seconds"
  local out=$1; shift
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  "$@" > "$out" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  echo "$rc $(echo "$t1 - $t0" | bc)"
}
http() { # http METHOD PATH [BODY]: prints the answer's body
  $PY - "$URL" "$@" <<'EOF'
import sys, urllib.request
url, method, path = sys.argv[1:4]
body = sys.argv[4].encode() if len(sys.argv) > 4 else None
req = urllib.request.Request(url + path, data=body, method=method, headers={"Content-Type": "application/json"})
sys.stdout.write(urllib.request.urlopen(req, timeout=30).read().decode())
EOF
}
new_run() { # new_run SEED: submits a DAG and starts a run of it, prints the run id
  $PY "$HERE/gen_dag_spec.py" --tasks 60 --width 10 --seed "$1" > "$WORK/dag$1.json"
  local dag_id
  dag_id=$(http POST /v1/dags/submit "$(cat "$WORK/dag$1.json")" | $PY -c 'import json,sys; print(json.load(sys.stdin)["data"]["dag_id"])')
  http POST "/v1/dags/$dag_id/runs" '{}' | $PY -c 'import json,sys; print(json.load(sys.stdin)["data"]["run_id"])'
}
size_of() { sed -n 2p "$1/checkpoint"; }

cd "$WORK"
kc keygen --out coord.key > coord.pub
PUB=$($PY -c 'import json,sys; print(json.load(open("coord.pub"))["public_key_hex"])')
VKEY=$($PY "$VERIFY" vkey --origin "$ORIGIN" --public-key-hex "$PUB")

kc serve --port 0 --coordinator-key-file coord.key --ledger-origin "$ORIGIN" \
  --job-work-units 50000..2000000 > serve.out 2> serve.err &
SERVER_PID=$!
for _ in $(seq 1 120); do
  grep -q 'listening on' serve.err 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat serve.err >&2; echo "error: serve exited" >&2; exit 1; }
  sleep 0.5
done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' serve.err)
[ -n "$URL" ] || { echo "error: serve did not print its address" >&2; exit 1; }
echo "serve: $URL, origin $ORIGIN, vkey $VKEY" >&2

RUN1=$(new_run 1)
rc=0; kc fleet --url "$URL" --nodes 6 --launcher-nodes 2 --seed 7 --run "$RUN1" --duration "${SECS}s" \
  > fleet1.out 2> fleet1.err || rc=$?
expect "fleet 1 (run $RUN1)" 0 $rc
rc=0; $PY "$HERE/rotating_node.py" --url "$URL" > rotation.json || rc=$?
expect "rotating node: job, miner job, refused forged consent, rotation, job under the new key" 0 $rc
sleep 6   # a checkpoint is re-signed at most every 5 s
kc ledger fetch --url "$URL" --out export1 2> fetch1.err
RUN2=$(new_run 2)
rc=0; kc fleet --url "$URL" --nodes 6 --launcher-nodes 2 --seed 7 --run "$RUN2" --duration "${SECS}s" \
  > fleet2.out 2> fleet2.err || rc=$?
expect "fleet 2 (run $RUN2)" 0 $rc
sleep 6
kc ledger fetch --url "$URL" --out export2 2> fetch2.err
N1=$(size_of export1); N2=$(size_of export2)

read -r rc t_py < <(timed py.out $PY "$VERIFY" verify --vkey "$VKEY" --earlier export1 --url "$URL" --samples 32 export2)
expect "verify_ledger.py export 2 (earlier: export 1, --url)" 0 "$rc" "^OK$" py.out
read -r rc t_audit < <(timed audit.out kc audit --checkpoint export2/checkpoint --vkey "$VKEY" export2/entries.jsonl)
expect "kascompute audit export 2" 0 "$rc" "PASS" audit.out
read -r rc _ < <(timed consistency.out kc ledger verify-consistency --first-checkpoint export1/checkpoint \
  --second-checkpoint export2/checkpoint --vkey "$VKEY" --url "$URL")
expect "kascompute ledger verify-consistency export 1 -> export 2" 0 "$rc"

# One altered byte in one entry's signature (a hex digit changed): an entry check fails.
# K is the first proof entry (not a rotation) from the middle of export 2 on.
K=$($PY -c '
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
k = int(sys.argv[2]) // 2
while b"\"signature\":\"" not in lines[k]:
    k += 1
print(k)' export2/entries.jsonl "$N2")
tamper() { # tamper DIR MEMBER: copies export2 to DIR and changes the last digit of MEMBER in entry K
  cp -r export2 "$1"
  $PY - "$1/entries.jsonl" "$K" "$2" <<'EOF'
import sys
path, k, member = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(path, "rb").read().split(b"\n")
key = b'"' + member.encode() + b'":"'
start = lines[k].index(key) + len(key)
end = lines[k].index(b'"', start) - 1
digit = lines[k][end:end + 1]
lines[k] = lines[k][:end] + (b"1" if digit != b"1" else b"2") + lines[k][end + 1:]
open(path, "wb").write(b"\n".join(lines))
EOF
}
tamper tampered_sig signature
read -r rc _ < <(timed audit_sig.out kc audit --checkpoint tampered_sig/checkpoint --vkey "$VKEY" tampered_sig/entries.jsonl)
expect "kascompute audit, entry $K's signature altered" 1 "$rc" "entry $K\b" audit_sig.out
read -r rc _ < <(timed py_sig.out $PY "$VERIFY" verify --vkey "$VKEY" tampered_sig)
expect "verify_ledger.py, entry $K's signature altered" 1 "$rc" "entry $K:" py_sig.out
# One altered byte in an unsigned member: only the root differs; --url locates the entry.
tamper tampered_root accepted_unix
read -r rc _ < <(timed audit_root.out kc audit --checkpoint tampered_root/checkpoint --vkey "$VKEY" --url "$URL" tampered_root/entries.jsonl)
expect "kascompute audit --url, entry $K's accepted_unix altered" 1 "$rc" "entry $K\b" audit_root.out
read -r rc _ < <(timed py_root.out $PY "$VERIFY" verify --vkey "$VKEY" --url "$URL" tampered_root)
expect "verify_ledger.py --url, entry $K's accepted_unix altered" 1 "$rc" "entry $K:" py_root.out

# Logs the coordinator key itself signs, so that the root and the checkpoint hold and only the
# entry checks can catch them: a proof repeated at the end (replayed_proof), the rotation's
# consent altered (bad_signature), the rotation dropped (key_mismatch at the node's next proof).
resign() { # resign DIR MODE: writes DIR/{entries.jsonl,checkpoint} and prints the bad entry's index
  $PY - "$HERE" "$1" "$2" "$ORIGIN" <<'EOF'
import base64, json, os, re, sys
sys.path.insert(0, sys.argv[1])
import verify_ledger as v
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
out, mode, origin = sys.argv[2:5]
sk = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(json.load(open("coord.key"))["secret_key_hex"]))
pk = sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
lines = open("export2/entries.jsonl", "rb").read().split(b"\n")[:-1]
r = [i for i, line in enumerate(lines) if b'"kind":"key_rotation"' in line][0]
if mode == "repeat":
    lines.append(lines[r - 1])
    bad = len(lines) - 1
elif mode == "consent":
    lines[r] = re.sub(rb'("rotation_signature":"[0-9a-f]{127})([0-9a-f])',
                      lambda m: m.group(1) + (b"0" if m.group(2) != b"0" else b"1"), lines[r])
    bad = r
else:
    del lines[r]
    bad = r + [b'"node_id":"peer-rotating-node"' in line for line in lines[r:]].index(True)
root = v.root_streaming([v.leaf_hash(line) for line in lines])
text = "%s\n%d\n%s\n" % (origin, len(lines), base64.b64encode(root).decode())
sig = base64.b64encode(v.key_id(origin, pk) + sk.sign(text.encode())).decode()
os.makedirs(out)
open(os.path.join(out, "checkpoint"), "w", encoding="utf-8").write(text + "\n\u2014 %s %s\n" % (origin, sig))
open(os.path.join(out, "entries.jsonl"), "wb").write(b"\n".join(lines) + b"\n")
print(bad)
EOF
}
for mode in repeat consent drop; do
  B=$(resign "signed_$mode" "$mode")
  read -r rc _ < <(timed "audit_$mode.out" kc audit --checkpoint "signed_$mode/checkpoint" --vkey "$VKEY" "signed_$mode/entries.jsonl")
  expect "kascompute audit, coordinator-signed log, $mode (entry $B)" 1 "$rc" "entry $B\b" "audit_$mode.out"
  read -r rc _ < <(timed "py_$mode.out" $PY "$VERIFY" verify --vkey "$VKEY" "signed_$mode")
  expect "verify_ledger.py, coordinator-signed log, $mode (entry $B)" 1 "$rc" "entry $B:" "py_$mode.out"
done

KINDS=$($PY -c '
import json, sys, collections
c = collections.Counter()
for line in open(sys.argv[1], "rb"):
    e = json.loads(line); c[e["kind"] + ("/" + e["scheme"] if "scheme" in e else "")] += 1
print(", ".join("%s %d" % kv for kv in sorted(c.items())))' export2/entries.jsonl)

{
  echo "ledger e2e: $URL, fleet ${SECS}s x 2"
  echo "  export 1: $N1 entries; export 2: $N2 entries ($KINDS)"
  echo "  verify_ledger.py: ${t_py} s (whole process); kascompute audit: ${t_audit} s (whole process)"
  grep -E '^(inclusion|consistency|anchor):' py.out | sed 's/^/  py     /' || true
  grep -E '^anchor' audit.out | sed 's/^/  audit  /' || true
  echo "  altered signature: audit says: $(grep -m1 -i "entry $K" audit_sig.out || true)"
  echo "                     py says:    $(grep -m1 "entry $K" py_sig.out || true)"
  echo "  altered accepted_unix: audit says: $(grep -m1 -i "entry $K" audit_root.out || true)"
  echo "                         py says:    $(grep -m1 "entry $K" py_root.out || true)"
  for mode in repeat consent drop; do
    echo "  signed log, $mode: audit: $(grep -m1 -o 'entry [0-9]*: [a-z_]*' "audit_$mode.out" || true); py: $(grep -m1 -o 'entry [0-9]*: [a-z_]*' "py_$mode.out" || true)"
  done
  printf '  %s\n' "${RESULTS[@]}"
  [ $FAILED = 0 ] && echo "RESULT PASS" || echo "RESULT FAIL"
} >&2
if [ $FAILED != 0 ] && [ "${KEEP:-0}" != 1 ]; then
  for f in py.out audit.out audit_sig.out py_sig.out audit_root.out py_root.out fleet1.err fleet2.err; do
    echo "--- $f" >&2; tail -5 "$f" >&2 || true
  done
fi
exit $FAILED
