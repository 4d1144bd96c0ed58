#!/usr/bin/env python3
"""An independent implementation of the KASCompute ledger (docs/spec/ledger.md), written from the
specification alone with the Python standard library and pyca/cryptography (Ed25519).

  independent_ledger.py vectors > kascompute_ledger_examples.json
      prints the worked examples of the spec (entries, roots, proofs, checkpoints, notes, vkey,
      anchor commitments) computed from fixed inputs and the RFC 8032 test keys.

  independent_ledger.py audit --checkpoint CP --vkey VKEY ENTRIES.jsonl
      verifies a ledger export: the checkpoint note's signature, the root of the entries it
      covers, that every line is the canonical form of its entry, every entry's proof, the key
      pins and rotations, and duplicate signatures. Exit 0 if all holds, 1 otherwise.
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def sha256(b):
    return hashlib.sha256(b).digest()


# ---- RFC 9162 section 2.1, literally --------------------------------------------------------

def leaf_hash(leaf):
    return sha256(b"\x00" + leaf)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d):
    if not d:
        return sha256(b"")
    if len(d) == 1:
        return leaf_hash(d[0])
    k = split(len(d))
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m, d):
    if len(d) <= 1:
        return []
    k = split(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, whole):
    n = len(d)
    if m == n:
        return [] if whole else [mth(d)]
    k = split(n)
    if m <= k:
        return subproof(m, d[:k], whole) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def proof(m, d):
    return [] if m in (0, len(d)) else subproof(m, d, True)


def verify_inclusion(index, size, h, proof_hashes, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, h
    for p in proof_hashes:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, root1, root2, proof_hashes):
    if first == second:
        return not proof_hashes and root1 == root2
    if first == 0:
        return not proof_hashes and root1 == sha256(b"")
    if not proof_hashes:
        return False
    p = ([root1] if first & (first - 1) == 0 else []) + list(proof_hashes)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = p[0]
    for c in p[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


# ---- entries -----------------------------------------------------------------------------------

def canonical(obj):
    """RFC 8785 for an object of strings with ASCII member names."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def jstr(s):
    return json.dumps(s, ensure_ascii=False)


def job_payload(e):
    """The V1 job proof payload bytes: schema order, compact, integers as JSON numbers."""
    parts = ['"node_id":' + jstr(e["node_id"])]
    if "miner_id" in e:
        parts.append('"miner_id":' + jstr(e["miner_id"]))
    parts += ['"job_id":' + e["job_id"], '"work_units":' + e["work_units"],
              '"workload_mode":' + jstr(e["workload_mode"]), '"elapsed_ms":' + e["elapsed_ms"],
              '"client_version":' + jstr(e["client_version"]), '"ts":' + e["ts"]]
    return ("{" + ",".join(parts) + "}").encode("utf-8")


def task_payload(e):
    parts = ['"node_id":' + jstr(e["node_id"]), '"run_id":' + jstr(e["run_id"]),
             '"task_id":' + jstr(e["task_id"]), '"task_hash":' + jstr(e["task_hash"]),
             '"work_units":' + e["work_units"], '"elapsed_ms":' + e["elapsed_ms"],
             '"client_version":' + jstr(e["client_version"]), '"ts":' + e["ts"]]
    return ("{" + ",".join(parts) + "}").encode("utf-8")


def launcher_message(e):
    return ("pf|%s|%s|%s|%s" % (e["node_id"], e["job_id"], e["work_units"], e["ts"])).encode("utf-8")


def rotation_message(e):
    return ("kc-rotate|%s|%s|%s|%s" % (e["node_id"], e["old_public_key_hex"],
                                        e["new_public_key_hex"], e["ts"])).encode("utf-8")


def public_hex(seed):
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw).hex()


def sign(seed, message):
    return Ed25519PrivateKey.from_private_bytes(seed).sign(message)


def ed25519_ok(key_hex, signature_hex, message):
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex)).verify(
            bytes.fromhex(signature_hex), message)
        return True
    except (InvalidSignature, ValueError):
        return False


U64 = ("job_id", "work_units", "elapsed_ms", "ts", "accepted_unix")
HEX = {"signature": 128, "public_key_hex": 64, "proof_hash": 64, "task_hash": 64,
       "old_public_key_hex": 64, "new_public_key_hex": 64, "rotation_signature": 128}
MEMBERS = {
    "job": {"accepted_unix", "client_version", "coordinator", "elapsed_ms", "job_id", "kind",
            "miner_id", "node_id", "proof_hash", "public_key_hex", "scheme", "signature", "ts",
            "work_units", "workload_mode"},
    "task": {"accepted_unix", "client_version", "coordinator", "elapsed_ms", "kind", "node_id",
             "proof_hash", "public_key_hex", "run_id", "scheme", "signature", "task_hash",
             "task_id", "ts", "work_units"},
    "key_rotation": {"accepted_unix", "by", "coordinator", "kind", "new_public_key_hex",
                     "node_id", "old_public_key_hex", "rotation_signature", "ts"},
}
OPTIONAL = {"miner_id", "proof_hash", "rotation_signature"}


def check_entry(line):
    """The entry of one leaf line, or raises ValueError saying why it is refused."""
    e = json.loads(line.decode("utf-8"))
    if not isinstance(e, dict) or e.get("kind") not in MEMBERS:
        raise ValueError("not an entry of a known kind")
    kind = e["kind"]
    for name, value in e.items():
        if name not in MEMBERS[kind]:
            raise ValueError("unknown member " + name)
        if not isinstance(value, str):
            raise ValueError(name + " is not a string")
    for name in MEMBERS[kind] - OPTIONAL:
        if name not in e:
            raise ValueError("missing " + name)
    for name in U64:
        if name in e:
            v = e[name]
            if not (v.isdigit() and v.isascii() and (v == "0" or v[0] != "0") and int(v) < 2 ** 64):
                raise ValueError(name + " is not a canonical u64")
    for name, length in HEX.items():
        if name in e and (len(e[name]) != length or any(c not in "0123456789abcdef" for c in e[name])):
            raise ValueError(name + " is not lowercase hex of its length")
    if canonical(e) != line:
        raise ValueError("not the canonical form")
    return e


def verify_entry(e):
    """Raises ValueError unless the entry's proof verifies."""
    kind = e["kind"]
    if kind == "job":
        if e["scheme"] == "digest":
            if "proof_hash" not in e:
                raise ValueError("digest entry without proof_hash")
            digest = sha256(job_payload(e))
            if digest.hex() != e["proof_hash"]:
                raise ValueError("proof_hash is not the payload digest")
            ok = ed25519_ok(e["public_key_hex"], e["signature"], digest)
        elif e["scheme"] == "launcher":
            if "proof_hash" in e or "miner_id" in e:
                raise ValueError("launcher entry with proof_hash or miner_id")
            ok = ed25519_ok(e["public_key_hex"], e["signature"], launcher_message(e))
        else:
            raise ValueError("unknown scheme")
    elif kind == "task":
        if e["scheme"] != "digest":
            raise ValueError("task entries use the digest scheme")
        digest = sha256(task_payload(e))
        if digest.hex() != e["proof_hash"]:
            raise ValueError("proof_hash is not the payload digest")
        ok = ed25519_ok(e["public_key_hex"], e["signature"], digest)
    else:
        if e["old_public_key_hex"] == e["new_public_key_hex"]:
            raise ValueError("rotation to the same key")
        if e["by"] == "node":
            ok = "rotation_signature" in e and ed25519_ok(
                e["old_public_key_hex"], e["rotation_signature"], rotation_message(e))
        elif e["by"] == "operator":
            ok = "rotation_signature" not in e
        else:
            raise ValueError("unknown by")
    if not ok:
        raise ValueError("the signature does not verify")


# ---- signed notes, checkpoints, anchors -------------------------------------------------------

def key_id(name, public_key):
    return sha256(name.encode("utf-8") + b"\n\x01" + public_key)[:4]


def vkey(name, public_key):
    return "%s+%s+%s" % (name, key_id(name, public_key).hex(),
                         base64.b64encode(b"\x01" + public_key).decode())


def parse_vkey(text):
    name, kid, key = text.split("+", 2)
    raw = base64.b64decode(key, validate=True)
    if len(raw) != 33 or raw[0] != 1 or key_id(name, raw[1:]).hex() != kid.lower():
        raise ValueError("bad vkey")
    return name, raw[1:]


def sign_note(text, name, seed):
    pub = bytes.fromhex(public_hex(seed))
    sig = key_id(name, pub) + sign(seed, text.encode("utf-8"))
    return text + "\n\u2014 " + name + " " + base64.b64encode(sig).decode() + "\n"


def open_note(note, name, public_key):
    split_at = note.rindex("\n\n")
    text, sigs = note[:split_at + 1], note[split_at + 2:]
    verified = False
    for line in sigs.split("\n")[:-1]:
        if not line.startswith("\u2014 "):
            raise ValueError("malformed signature line")
        who, b64 = line[2:].split(" ", 1)
        sig = base64.b64decode(b64, validate=True)
        if who == name and sig[:4] == key_id(name, public_key):
            Ed25519PublicKey.from_public_bytes(public_key).verify(sig[4:], text.encode("utf-8"))
            verified = True
    if not verified:
        raise ValueError("no signature by the key")
    return text


def checkpoint_text(origin, size, root):
    return "%s\n%d\n%s\n" % (origin, size, base64.b64encode(root).decode())


def anchor(origin, size, root):
    return b"KCL\x01" + sha256(origin.encode("utf-8")) + size.to_bytes(8, "big") + root


# ---- the worked examples ----------------------------------------------------------------------

NODE_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
NEXT_SEED = bytes.fromhex("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7")
COORD_SEED = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
ORIGIN = "kascompute.example/ledger"


def example_entries():
    node_key = public_hex(NODE_SEED)
    job = {"kind": "job", "scheme": "digest", "node_id": "kc_node_01", "job_id": "123",
           "work_units": "42", "workload_mode": "sim", "elapsed_ms": "150",
           "client_version": "launcher-miner/0.2.0", "ts": "1710000000",
           "public_key_hex": node_key, "accepted_unix": "1710000002", "coordinator": "coord-1"}
    job["proof_hash"] = sha256(job_payload(job)).hex()
    job["signature"] = sign(NODE_SEED, bytes.fromhex(job["proof_hash"])).hex()
    launcher = {"kind": "job", "scheme": "launcher", "node_id": "kc_d75a980182b10ab7",
                "job_id": "18446744073709551615", "work_units": "50000", "workload_mode": "cpu",
                "elapsed_ms": "900", "client_version": "protocol-v1", "ts": "1710000060",
                "public_key_hex": node_key, "accepted_unix": "1710000061",
                "coordinator": "coord-2"}
    launcher["signature"] = sign(NODE_SEED, launcher_message(launcher)).hex()
    task = {"kind": "task", "scheme": "digest", "node_id": "kc_node_01", "run_id": "run-7",
            "task_id": "t/1", "task_hash": sha256(b"t/1").hex(), "work_units": "3",
            "elapsed_ms": "12", "client_version": "kascompute-sdk/0.1", "ts": "1710000100",
            "public_key_hex": node_key, "accepted_unix": "1710000101", "coordinator": "coord-1"}
    task["proof_hash"] = sha256(task_payload(task)).hex()
    task["signature"] = sign(NODE_SEED, bytes.fromhex(task["proof_hash"])).hex()
    rotation = {"kind": "key_rotation", "node_id": "kc_node_01", "old_public_key_hex": node_key,
                "new_public_key_hex": public_hex(NEXT_SEED), "by": "node", "ts": "1710000200",
                "accepted_unix": "1710000201", "coordinator": "coord-2"}
    rotation["rotation_signature"] = sign(NODE_SEED, rotation_message(rotation)).hex()
    return [job, launcher, task, rotation]


def vectors():
    entries = example_entries()
    leaves = [canonical(e) for e in entries]
    coord_pub = bytes.fromhex(public_hex(COORD_SEED))
    out = {
        "origin": "Computed by independent_ledger.py (Python %s, pyca/cryptography) from"
                  " docs/spec/ledger.md; node key = RFC 8032 TEST 1, next key = RFC 8032 TEST"
                  " 3, coordinator key = RFC 8032 TEST 2." % sys.version.split()[0],
        "node_seed_hex": NODE_SEED.hex(),
        "next_seed_hex": NEXT_SEED.hex(),
        "coordinator_seed_hex": COORD_SEED.hex(),
        "ledger_origin": ORIGIN,
        "vkey": vkey(ORIGIN, coord_pub),
        "entries": [{"leaf": l.decode("utf-8"), "leaf_hash": leaf_hash(l).hex()} for l in leaves],
        "roots": [mth(leaves[:n]).hex() for n in range(len(leaves) + 1)],
        "inclusion": [{"index": i, "size": n, "hashes": [h.hex() for h in path(i, leaves[:n])]}
                      for n in range(1, len(leaves) + 1) for i in range(n)],
        "consistency": [{"first": m, "second": n, "hashes": [h.hex() for h in proof(m, leaves[:n])]}
                        for n in range(1, len(leaves) + 1) for m in range(n + 1)],
        "checkpoints": [],
    }
    for n in (3, 4):
        root = mth(leaves[:n])
        text = checkpoint_text(ORIGIN, n, root)
        out["checkpoints"].append({"size": n, "text": text,
                                   "note": sign_note(text, ORIGIN, COORD_SEED),
                                   "anchor_hex": anchor(ORIGIN, n, root).hex()})
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


def audit(args):
    cp_file, vkey_text, entries_file = args[1], args[3], args[4]
    try:
        with open(vkey_text, encoding="utf-8") as f:
            vkey_text = f.read().strip()
        if vkey_text.startswith("{"):
            vkey_text = json.loads(vkey_text)["vkey"]
    except OSError:
        pass
    name, pub = parse_vkey(vkey_text)
    lines = open(cp_file, encoding="utf-8").read()
    text = open_note(lines, name, pub)
    origin, size, root_b64 = text[:-1].split("\n")
    size, root = int(size), base64.b64decode(root_b64, validate=True)
    if origin != name:
        print("checkpoint origin is not the key name")
        return 1
    leaves = []
    with open(entries_file, "rb") as f:
        for raw in f:
            if len(leaves) == size:
                break
            leaves.append(raw[:-1] if raw.endswith(b"\n") else raw)
    bad = 0
    pins, seen = {}, set()
    for i, line in enumerate(leaves):
        try:
            e = check_entry(line)
            verify_entry(e)
            signer = e.get("miner_id", e["node_id"])
            if e["kind"] == "key_rotation":
                if pins.get(signer, e["old_public_key_hex"]) != e["old_public_key_hex"]:
                    raise ValueError("rotation from a key that is not pinned")
                pins[signer] = e["new_public_key_hex"]
                sig = e.get("rotation_signature")
            else:
                if pins.setdefault(signer, e["public_key_hex"]) != e["public_key_hex"]:
                    raise ValueError("key changed without a rotation")
                sig = e["signature"]
            if sig is not None:
                if sig in seen:
                    raise ValueError("duplicate signature")
                seen.add(sig)
        except (ValueError, KeyError, UnicodeDecodeError) as err:
            bad += 1
            print("entry %d: %s" % (i, err))
    got = mth(leaves)
    print("entries %d of %d, root %s, checkpoint root %s" % (len(leaves), size, got.hex(), root.hex()))
    ok = bad == 0 and len(leaves) == size and got == root
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "vectors":
        vectors()
    elif len(sys.argv) == 7 and sys.argv[1] == "audit" and sys.argv[2] == "--checkpoint" \
            and sys.argv[4] == "--vkey":
        sys.exit(audit(sys.argv[2:]))
    else:
        print(__doc__)
        sys.exit(2)
