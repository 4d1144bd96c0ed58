#!/usr/bin/env python3
"""Independent verifier of a KASCompute ledger export, written from the specs alone.

Sources: docs/spec/ledger.md (entries, RFC 8785 leaves, the RFC 9162 tree, the C2SP
tlog-checkpoint in a C2SP signed note, the vkey, the anchor commitment), docs/spec/proofs.md (the
signed bytes of job and task proofs) and docs/spec/coordinator.md section 4.2 (rotation consent
bytes). Not written from, and never reads, the SDK's code. Python 3 standard library plus
pyca/cryptography's Ed25519 (OpenSSL's), and v1proofs.py beside this file.

    verify_ledger.py verify --vkey VKEY [--earlier DIR|CHECKPOINT] [--url URL] [--samples N]
                            [--seed S] [--json] EXPORT_DIR
    verify_ledger.py vkey --origin ORIGIN --public-key-hex HEX

EXPORT_DIR is what `kascompute ledger fetch --out DIR` writes: checkpoint, key.json and
entries.jsonl. Exit 0 when every check holds, 1 naming the first bad entry (or the root, a proof,
a signature), 2 on unreadable input or a usage error.
"""

import argparse
import base64
import binascii
import hashlib
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from v1proofs import digest_payload, json_string, launcher_proof_message  # noqa: E402

MAX_LINE = 65536
MAX_NOTE = 65536
MAX_SIGNATURES = 100
U64_MAX = (1 << 64) - 1
SIZE_MAX = (1 << 63) - 1
EMPTY_ROOT = hashlib.sha256(b"").digest()


class Unreadable(Exception):
    """Input that cannot be read at all: exit 2."""


class Failure(Exception):
    """A check that fails: exit 1. `where` names the entry (or the object) that failed."""

    def __init__(self, where, code, message):
        super().__init__("%s: %s: %s" % (where, code, message))
        self.where, self.code, self.message = where, code, message


# ---------------------------------------------------------------- RFC 9162 section 2.1

def leaf_hash(leaf):
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def largest_power_of_two_below(n):
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


class Tree:
    """The leaf hashes of a log, with the RFC's recursive MTH, PATH and PROOF (section 2.1)."""

    def __init__(self, leaf_hashes):
        self.leaves = leaf_hashes
        self._memo = {}

    def mth(self, lo, hi):
        n = hi - lo
        if n == 0:
            return EMPTY_ROOT
        if n == 1:
            return self.leaves[lo]
        key = (lo, hi)
        got = self._memo.get(key)
        if got is None:
            k = largest_power_of_two_below(n)
            got = node_hash(self.mth(lo, lo + k), self.mth(lo + k, hi))
            if n & (n - 1) == 0:  # perfect subtrees recur in many proofs; keep only those
                self._memo[key] = got
        return got

    def path(self, m, lo, hi):
        """PATH(m, D[lo:hi]) of section 2.1.3.1, m relative to lo."""
        n = hi - lo
        if n == 1:
            return []
        k = largest_power_of_two_below(n)
        if m < k:
            return self.path(m, lo, lo + k) + [self.mth(lo + k, hi)]
        return self.path(m - k, lo + k, hi) + [self.mth(lo, lo + k)]

    def proof(self, m, lo, hi, whole=True):
        """SUBPROOF(m, D[lo:hi], b) of section 2.1.4.1; PROOF(0, D[n]) is empty (ledger.md 2)."""
        n = hi - lo
        if m == 0:
            return []
        if m == n:
            return [] if whole else [self.mth(lo, hi)]
        k = largest_power_of_two_below(n)
        if m <= k:
            return self.proof(m, lo, lo + k, whole) + [self.mth(lo + k, hi)]
        return self.proof(m - k, lo + k, hi, False) + [self.mth(lo, lo + k)]


def root_streaming(leaf_hashes_iter):
    """The MTH of a sequence of leaf hashes with O(log n) memory: the compact range folded right."""
    stack = []  # (height, hash), strictly decreasing heights
    size = 0
    for h in leaf_hashes_iter:
        height = 0
        while stack and stack[-1][0] == height:
            _, left = stack.pop()
            h = node_hash(left, h)
            height += 1
        stack.append((height, h))
        size += 1
    if not stack:
        return EMPTY_ROOT
    acc = stack[-1][1]
    for _, h in reversed(stack[:-1]):
        acc = node_hash(h, acc)
    return acc


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, path):
    """RFC 9162 section 2.1.4.2, with ledger.md section 2's empty proofs for 0 and equal sizes."""
    if first > second:
        return False
    if first == 0:
        return path == [] and first_root == EMPTY_ROOT
    if first == second:
        return path == [] and first_root == second_root
    if not path:
        return False
    if first & (first - 1) == 0:
        path = [first_root] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# ---------------------------------------------------------------- C2SP signed note, checkpoint

def b64decode_canonical(text, what):
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise Unreadable("%s: not base64: %r" % (what, text))
    if base64.b64encode(raw).decode("ascii") != text:
        raise Unreadable("%s: non-canonical base64: %r" % (what, text))
    return raw


def key_id(name, public_key):
    return hashlib.sha256(name.encode("utf-8") + b"\x0a\x01" + public_key).digest()[:4]


def valid_key_name(name):
    return name != "" and all(c not in " +" and ord(c) >= 0x20 and ord(c) != 0x7F for c in name)


def make_vkey(name, public_key):
    if not valid_key_name(name):
        raise Unreadable("key name %r is empty or holds a space, '+' or a control character" % name)
    return "%s+%s+%s" % (name, key_id(name, public_key).hex(),
                         base64.b64encode(b"\x01" + public_key).decode("ascii"))


def parse_vkey(vkey):
    parts = vkey.split("+", 2)  # the name holds no '+'; the base64 key may
    if len(parts) != 3:
        raise Unreadable("vkey: not <name>+<hex key id>+<base64 key>: %r" % vkey)
    name, kid_hex, key_b64 = parts
    if not valid_key_name(name):
        raise Unreadable("vkey: bad key name %r" % name)
    if len(kid_hex) != 8 or any(c not in "0123456789abcdef" for c in kid_hex):
        raise Unreadable("vkey: key id is not 8 lowercase hex digits: %r" % kid_hex)
    raw = b64decode_canonical(key_b64, "vkey")
    if len(raw) != 33 or raw[0] != 0x01:
        raise Unreadable("vkey: key is not 0x01 followed by a 32-byte Ed25519 key")
    public_key = raw[1:]
    if key_id(name, public_key).hex() != kid_hex:
        raise Unreadable("vkey: key id %s is not the one of its name and key (%s)"
                         % (kid_hex, key_id(name, public_key).hex()))
    return name, bytes.fromhex(kid_hex), public_key


def ed25519_verifies(public_key, signature, message):
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def open_note(note, vkey):
    """Verifies a signed note under vkey; returns its text (ledger.md section 3.2)."""
    name, kid, public_key = vkey
    if len(note) > MAX_NOTE:
        raise Unreadable("note: more than %d bytes" % MAX_NOTE)
    try:
        text = note.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable("note: not UTF-8")
    if any(ord(c) < 0x20 and c != "\n" or ord(c) == 0x7F for c in text):
        raise Unreadable("note: a control character other than newline")
    cut = text.rfind("\n\n")
    if cut < 0:
        raise Unreadable("note: no blank line before the signatures")
    body, sigs = text[:cut + 1], text[cut + 2:]
    if not sigs.endswith("\n"):
        raise Unreadable("note: the signature block does not end with a newline")
    lines = sigs[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise Unreadable("note: more than %d signatures" % MAX_SIGNATURES)
    known = 0
    for line in lines:
        if not line.startswith("\u2014 "):
            raise Unreadable("note: signature line does not start with an em dash: %r" % line)
        fields = line[2:].split(" ")
        if len(fields) != 2 or not valid_key_name(fields[0]):
            raise Unreadable("note: malformed signature line %r" % line)
        raw = b64decode_canonical(fields[1], "note signature")
        if len(raw) < 5:
            raise Unreadable("note: signature shorter than a key id")
        if fields[0] != name or raw[:4] != kid:
            continue
        known += 1
        if len(raw) != 68 or not ed25519_verifies(public_key, raw[4:], body.encode("utf-8")):
            raise Failure("checkpoint", "bad_signature",
                          "the note's signature by %s+%s does not verify" % (name, kid.hex()))
    if known == 0:
        raise Failure("checkpoint", "missing_signature", "no signature by %s+%s" % (name, kid.hex()))
    return body


def parse_checkpoint(body, origin):
    """The three lines of a tlog-checkpoint (ledger.md section 3.1): (origin, size, root)."""
    lines = body.split("\n")
    if len(lines) != 4 or lines[3] != "":
        raise Unreadable("checkpoint: not exactly three lines (extension lines are refused)")
    cp_origin, size_text, root_text = lines[:3]
    if not valid_key_name(cp_origin):
        raise Unreadable("checkpoint: bad origin %r" % cp_origin)
    if not size_text.isdigit() or not size_text.isascii() or (size_text != "0" and size_text[0] == "0"):
        raise Unreadable("checkpoint: size is not canonical decimal: %r" % size_text)
    size = int(size_text)
    if size > SIZE_MAX:
        raise Unreadable("checkpoint: size above 2^63 - 1")
    root = b64decode_canonical(root_text, "checkpoint root")
    if len(root) != 32:
        raise Unreadable("checkpoint: root is not 32 bytes")
    if cp_origin != origin:
        raise Failure("checkpoint", "origin_mismatch",
                      "origin %r is not the key's name %r" % (cp_origin, origin))
    return cp_origin, size, root


def anchor_commitment(origin, size, root):
    """ledger.md section 3.3: KCL, version 1, SHA-256(origin), size u64 BE, root: 76 bytes."""
    return b"KCL\x01" + hashlib.sha256(origin.encode("utf-8")).digest() + size.to_bytes(8, "big") + root


def read_checkpoint_file(path, vkey):
    try:
        with open(path, "rb") as f:
            note = f.read(MAX_NOTE + 1)
    except OSError as e:
        raise Unreadable("cannot read %s: %s" % (path, e.strerror))
    return parse_checkpoint(open_note(note, vkey), vkey[0])


# ---------------------------------------------------------------- entries (ledger.md section 1)

def canonical(obj):
    """RFC 8785 for an object of string members: names sorted by UTF-16 code units."""
    names = sorted(obj, key=lambda s: s.encode("utf-16-be"))
    return ("{" + ",".join(json_string(k) + ":" + json_string(obj[k]) for k in names)
            + "}").encode("utf-8")


INTS = ("job_id", "work_units", "elapsed_ms", "ts", "accepted_unix")
HEX = {"signature": 128, "public_key_hex": 64, "proof_hash": 64, "task_hash": 64,
       "old_public_key_hex": 64, "new_public_key_hex": 64, "rotation_signature": 128}
JOB = ("kind", "scheme", "node_id", "job_id", "work_units", "workload_mode", "elapsed_ms",
       "client_version", "ts", "signature", "public_key_hex", "accepted_unix", "coordinator")
TASK = ("kind", "scheme", "node_id", "run_id", "task_id", "task_hash", "work_units", "elapsed_ms",
        "client_version", "ts", "signature", "public_key_hex", "proof_hash", "accepted_unix",
        "coordinator")
ROTATION = ("kind", "node_id", "old_public_key_hex", "new_public_key_hex", "by", "ts",
            "accepted_unix", "coordinator")


def members_for(obj, where):
    """The (required, optional) members of an entry of obj's kind and scheme."""
    for name in ("kind",) + (("scheme",) if obj.get("kind") in ("job", "task") else ()):
        if name not in obj:
            raise Failure(where, "missing_field", "no %r" % name)
    kind = obj.get("kind")
    if kind == "job":
        scheme = obj.get("scheme")
        if scheme == "digest":
            return JOB + ("proof_hash",), ("miner_id",)
        if scheme == "launcher":
            return JOB, ()
        raise Failure(where, "field_out_of_range", "unknown job scheme %r" % scheme)
    if kind == "task":
        if obj.get("scheme") != "digest":
            raise Failure(where, "field_out_of_range", "task scheme %r" % obj.get("scheme"))
        return TASK, ()
    if kind == "key_rotation":
        by = obj.get("by")
        if by == "node":
            return ROTATION + ("rotation_signature",), ()
        if by == "operator":
            return ROTATION, ()
        raise Failure(where, "field_out_of_range", "unknown rotation 'by' %r" % by)
    raise Failure(where, "field_out_of_range", "unknown kind %r" % kind)


def read_entry(line, where):
    """Parses one leaf strictly and checks it is the canonical form of a well-formed entry."""
    if len(line) > MAX_LINE:
        raise Failure(where, "body_too_large", "line of %d bytes" % len(line))
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise Failure(where, "invalid_utf8", "the line is not UTF-8")

    def no_duplicates(pairs):
        names = [k for k, _ in pairs]
        if len(set(names)) != len(names):
            raise Failure(where, "duplicate_key", "a member name appears twice")
        return dict(pairs)

    def no_constant(name):
        raise Failure(where, "malformed_json", "%s is not JSON" % name)

    try:
        obj = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except ValueError as e:
        raise Failure(where, "malformed_json", str(e))
    if not isinstance(obj, dict):
        raise Failure(where, "wrong_type", "the entry is not a JSON object")
    for name, value in obj.items():
        if not isinstance(value, str):
            raise Failure(where, "wrong_type", "member %r is not a string" % name)
    try:
        again = canonical(obj)
    except UnicodeEncodeError:
        raise Failure(where, "invalid_utf8", "a string holds a lone surrogate")
    if again != line:
        raise Failure(where, "non_canonical_entry", "the line is not the RFC 8785 form of its entry")
    required, optional = members_for(obj, where)
    for name in required:
        if name not in obj:
            raise Failure(where, "missing_field", "no %r" % name)
    for name in obj:
        if name not in required and name not in optional:
            raise Failure(where, "non_canonical_entry", "member %r does not belong to this kind" % name)
    for name in INTS:
        if name in obj:
            v = obj[name]
            if not (v.isascii() and v.isdigit()) or (v != "0" and v[0] == "0") or int(v) > U64_MAX:
                raise Failure(where, "field_out_of_range", "%s %r is not a canonical u64" % (name, v))
    for name, length in HEX.items():
        if name in obj:
            v = obj[name]
            if any(c not in "0123456789abcdef" for c in v):
                raise Failure(where, "malformed_hex", "%s is not lowercase hex" % name)
            if len(v) != length:
                raise Failure(where, "wrong_length", "%s has %d hex digits, not %d" % (name, len(v), length))
    return obj


def task_payload(e):
    """proofs.md section 2.2: the task proof payload in schema order."""
    return ('{"node_id":%s,"run_id":%s,"task_id":%s,"task_hash":%s,"work_units":%d,"elapsed_ms":%d,'
            '"client_version":%s,"ts":%d}' % (
                json_string(e["node_id"]), json_string(e["run_id"]), json_string(e["task_id"]),
                json_string(e["task_hash"]), int(e["work_units"]), int(e["elapsed_ms"]),
                json_string(e["client_version"]), int(e["ts"]))).encode("utf-8")


def signed_message(e, where):
    """The bytes an entry's signature covers, after checking proof_hash for the digest scheme."""
    if e["kind"] == "job" and e["scheme"] == "launcher":
        return launcher_proof_message(e["node_id"], int(e["job_id"]), int(e["work_units"]), int(e["ts"]))
    if e["kind"] == "job":
        payload = digest_payload(e["node_id"], e.get("miner_id"), int(e["job_id"]), int(e["work_units"]),
                                 e["workload_mode"], int(e["elapsed_ms"]), e["client_version"], int(e["ts"]))
    else:
        payload = task_payload(e)
    digest = hashlib.sha256(payload).digest()
    if digest.hex() != e["proof_hash"]:
        raise Failure(where, "hash_mismatch", "proof_hash is not the SHA-256 of the rebuilt payload")
    return digest


def rotation_message(e):
    """ledger.md 1.3 / coordinator.md 4.2: kc-rotate|<node_id>|<old>|<new>|<ts>."""
    return ("kc-rotate|%s|%s|%s|%d" % (e["node_id"], e["old_public_key_hex"], e["new_public_key_hex"],
                                       int(e["ts"]))).encode("utf-8")


class Audit:
    """Checks entries one by one, in log order, keeping the pins and the signatures seen."""

    def __init__(self):
        self.pins = {}
        self.signatures = set()
        self.kinds = {}
        self.work_units = {}
        self.rotations = []

    def check(self, index, e):
        where = "entry %d" % index
        kind = e["kind"]
        label = kind if kind == "key_rotation" else "%s/%s" % (kind, e["scheme"])
        if kind == "key_rotation":
            old, new = e["old_public_key_hex"], e["new_public_key_hex"]
            if old == new:
                raise Failure(where, "field_out_of_range", "a rotation to the same key")
            pinned = self.pins.get(e["node_id"])
            if pinned is not None and pinned != old:
                raise Failure(where, "key_mismatch", "rotation of %r starts from %s…, pinned is %s…"
                              % (e["node_id"], old[:16], pinned[:16]))
            if e["by"] == "node" and not ed25519_verifies(bytes.fromhex(old), bytes.fromhex(e["rotation_signature"]),
                                                          rotation_message(e)):
                raise Failure(where, "bad_signature", "rotation consent of %r does not verify under the old key"
                              % e["node_id"])
            self.pins[e["node_id"]] = new
            self.rotations.append((index, e["node_id"], e["by"]))
        else:
            message = signed_message(e, where)
            key = e["public_key_hex"]
            if not ed25519_verifies(bytes.fromhex(key), bytes.fromhex(e["signature"]), message):
                raise Failure(where, "bad_signature", "%s proof of %r does not verify under public_key_hex"
                              % (label, e["node_id"]))
            holder = e.get("miner_id", e["node_id"])
            pinned = self.pins.setdefault(holder, key)
            if pinned != key:
                raise Failure(where, "key_mismatch", "%r signs with %s…, pinned is %s… and no rotation"
                              % (holder, key[:16], pinned[:16]))
            if e["signature"] in self.signatures:
                raise Failure(where, "replayed_proof", "this signature is already in the log")
            self.signatures.add(e["signature"])
            self.work_units[e["node_id"]] = self.work_units.get(e["node_id"], 0) + int(e["work_units"])
        self.kinds[label] = self.kinds.get(label, 0) + 1


def read_lines(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Unreadable("cannot read %s: %s" % (path, e.strerror))
    if data == b"":
        return []
    if not data.endswith(b"\n"):
        raise Unreadable("%s: the last line has no newline (a cut download?)" % path)
    return data[:-1].split(b"\n")


# ---------------------------------------------------------------- the coordinator's proofs

def fetch_hashes(url, path):
    try:
        with urllib.request.urlopen(url.rstrip("/") + path, timeout=30) as r:
            body = json.loads(r.read())
    except urllib.error.HTTPError as e:
        raise Failure(path, "http_%d" % e.code, e.read()[:300].decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise Unreadable("cannot get %s%s: %s" % (url, path, e))
    data = body.get("data") if isinstance(body, dict) else None
    hashes = data.get("hashes") if isinstance(data, dict) else None
    if body.get("status") != "ok" or not isinstance(hashes, list):
        raise Failure(path, "malformed_answer", "no data.hashes in %r" % str(body)[:200])
    out = []
    for h in hashes:
        if not isinstance(h, str) or len(h) != 64 or any(c not in "0123456789abcdef" for c in h):
            raise Failure(path, "malformed_hex", "hash %r" % (h,))
        out.append(bytes.fromhex(h))
    return out


def locate_departure(url, leaves, size, root):
    """When only the root differs: the first entry at which the export leaves the signed log.

    Binary search over prefix sizes m, each checked with the coordinator's PROOF(m, size) against
    the signed root, so a lying coordinator cannot point at a good entry."""
    tree = Tree(leaves)
    good, bad = 0, size  # prefix `good` is consistent, prefix `bad` is not
    while bad - good > 1:
        m = (good + bad) // 2
        proof = fetch_hashes(url, "/v1/ledger/proof/consistency?first=%d&second=%d" % (m, size))
        if verify_consistency(m, size, tree.mth(0, m), root, proof):
            good = m
        else:
            bad = m
    return bad - 1


def selftest(args):
    """Checks this implementation against the published and worked vectors of docs/spec/ledger.md."""
    d = args.vectors
    def load(name):
        try:
            with open(os.path.join(d, name), "rb") as f:
                return json.loads(f.read())
        except (OSError, ValueError) as e:
            raise Unreadable("cannot read %s: %s" % (name, e))
    checks = 0

    def expect(ok, what):
        nonlocal checks
        if not ok:
            raise Failure("selftest", "vector_failed", what)
        checks += 1

    ct = load("rfc6962_ct_vectors.json")
    leaves = [leaf_hash(bytes.fromhex(x)) for x in ct["leaves_hex"]]
    for n, want in enumerate(ct["roots_by_size"]):
        expect(root_streaming(leaves[:n]).hex() == want and Tree(leaves[:n]).mth(0, n).hex() == want,
               "CT root of size %d" % n)
    for c in ct["inclusion"]:
        i, n, path = c["index"], c["size"], [bytes.fromhex(h) for h in c["path"]]
        root = bytes.fromhex(ct["roots_by_size"][n])
        expect(verify_inclusion(i, n, leaves[i], path, root), "CT inclusion %d/%d" % (i, n))
        expect(Tree(leaves[:n]).path(i, 0, n) == path, "CT PATH(%d, %d)" % (i, n))
        if path:
            bad = list(path)
            bad[-1] = bytes(32)
            expect(not verify_inclusion(i, n, leaves[i], bad, root), "CT inclusion %d/%d refuses a bad hash" % (i, n))
    for c in ct["consistency"]:
        m, n, path = c["first"], c["second"], [bytes.fromhex(h) for h in c["path"]]
        r1, r2 = bytes.fromhex(ct["roots_by_size"][m]), bytes.fromhex(ct["roots_by_size"][n])
        expect(verify_consistency(m, n, r1, r2, path), "CT consistency %d/%d" % (m, n))
        expect(Tree(leaves[:n]).proof(m, 0, n) == path, "CT PROOF(%d, %d)" % (m, n))
        expect(not verify_consistency(m, n, r2, r2, path) or r1 == r2, "CT consistency %d/%d refuses a bad root" % (m, n))

    go = load("signed_note_go_example.json")
    vk = parse_vkey(go["vkey"])
    expect(open_note(go["note"].encode("utf-8"), vk) == go["text"], "Go example note verifies")
    expect(make_vkey(vk[0], vk[2]) == go["vkey"], "Go example vkey rebuilt")

    ex = load("kascompute_ledger_examples.json")
    vk = parse_vkey(ex["vkey"])
    audit = Audit()
    hashes = []
    for i, e in enumerate(ex["entries"]):
        line = e["leaf"].encode("utf-8")
        audit.check(i, read_entry(line, "example entry %d" % i))
        hashes.append(leaf_hash(line))
        expect(hashes[-1].hex() == e["leaf_hash"], "example leaf hash %d" % i)
    for n, want in enumerate(ex["roots"]):
        expect(root_streaming(hashes[:n]).hex() == want, "example root of size %d" % n)
    for c in ex["inclusion"]:
        i, n = c["index"], c["size"]
        path = [bytes.fromhex(h) for h in c["hashes"]]
        expect(verify_inclusion(i, n, hashes[i], path, bytes.fromhex(ex["roots"][n])), "example inclusion %d/%d" % (i, n))
        expect(Tree(hashes[:n]).path(i, 0, n) == path, "example PATH(%d, %d)" % (i, n))
    for c in ex["consistency"]:
        m, n = c["first"], c["second"]
        path = [bytes.fromhex(h) for h in c["hashes"]]
        expect(verify_consistency(m, n, bytes.fromhex(ex["roots"][m]), bytes.fromhex(ex["roots"][n]), path),
               "example consistency %d/%d" % (m, n))
        expect(Tree(hashes[:n]).proof(m, 0, n) == path, "example PROOF(%d, %d)" % (m, n))
    for c in ex["checkpoints"]:
        body = open_note(c["note"].encode("utf-8"), vk)
        expect(body == c["text"], "example checkpoint %d text" % c["size"])
        origin, size, root = parse_checkpoint(body, vk[0])
        expect(size == c["size"] and root.hex() == ex["roots"][size], "example checkpoint %d root" % size)
        expect(anchor_commitment(origin, size, root).hex() == c["anchor_hex"], "example anchor %d" % size)
        tampered = c["note"].replace("\n%d\n" % size, "\n%d\n" % (size + 1), 1).encode("utf-8")
        try:
            open_note(tampered, vk)
            expect(False, "a checkpoint with another size must not verify")
        except Failure:
            checks += 1
    print("selftest: %d checks against the CT, Go signed-note and worked-example vectors hold" % checks)


# ---------------------------------------------------------------- main

def verify(args):
    out = {}
    t0 = time.perf_counter()
    vkey = parse_vkey(args.vkey)
    origin = vkey[0]
    directory = args.export
    key_json = os.path.join(directory, "key.json")
    if os.path.exists(key_json):
        try:
            with open(key_json, "rb") as f:
                served = json.loads(f.read()).get("vkey")
        except (OSError, ValueError, AttributeError):
            served = None
        out["served_vkey_matches"] = served == args.vkey
    _, size, root = read_checkpoint_file(os.path.join(directory, "checkpoint"), vkey)
    out.update(origin=origin, size=size, root=root.hex())
    print("checkpoint: origin %s, size %d, root %s: signature by %s+%s verifies"
          % (origin, size, root.hex(), origin, vkey[1].hex()))

    lines = read_lines(os.path.join(directory, "entries.jsonl"))
    audit = Audit()
    leaves = []
    for i, line in enumerate(lines[:size]):
        audit.check(i, read_entry(line, "entry %d" % i))
        leaves.append(leaf_hash(line))
    t_entries = time.perf_counter()
    print("entries: %d checked (%s); %d beyond the checkpoint, not audited"
          % (len(leaves), ", ".join("%s %d" % kv for kv in sorted(audit.kinds.items())),
             max(0, len(lines) - size)))
    for index, node, by in audit.rotations:
        print("  key_rotation at entry %d: %r by %s" % (index, node, by))
    out.update(entries=len(leaves), kinds=audit.kinds, rotations=len(audit.rotations))

    computed = root_streaming(leaves)
    if len(leaves) < size:
        raise Failure("root", "root_mismatch", "the export has %d entries, the checkpoint %d" % (len(leaves), size))
    if computed != root:
        if args.url:
            first = locate_departure(args.url, leaves, size, root)
            raise Failure("entry %d" % first, "root_mismatch",
                          "the export departs from the signed log here (found with consistency proofs)")
        raise Failure("root", "root_mismatch", "recomputed %s, checkpoint %s" % (computed.hex(), root.hex()))
    t_root = time.perf_counter()
    print("root: recomputed from the entries, equals the checkpoint's")

    tree = Tree(leaves)
    earlier = None
    if args.earlier:
        cp = args.earlier
        earlier_dir = os.path.isdir(cp)
        if earlier_dir:
            cp = os.path.join(args.earlier, "checkpoint")
        _, size1, root1 = read_checkpoint_file(cp, vkey)
        if size1 > size:
            raise Failure("earlier checkpoint", "consistency_failed", "size %d is beyond %d" % (size1, size))
        if tree.mth(0, size1) != root1:
            raise Failure("earlier checkpoint", "consistency_failed",
                          "the root of the first %d entries is not the earlier checkpoint's" % size1)
        print("earlier checkpoint: size %d, root %s is the root of this export's first %d entries"
              % (size1, root1.hex(), size1))
        if earlier_dir and os.path.exists(os.path.join(args.earlier, "entries.jsonl")):
            old = read_lines(os.path.join(args.earlier, "entries.jsonl"))[:size1]
            if old != lines[:size1]:
                raise Failure("earlier export", "consistency_failed", "its entries are not a prefix of this export")
            print("earlier export: its %d entries are a byte-for-byte prefix of this one" % size1)
        earlier = (size1, root1)
        out["earlier_size"] = size1

    if args.url:
        rng = random.Random(args.seed)
        picks = sorted(set([0, size - 1] + [rng.randrange(size) for _ in range(args.samples)])) if size else []
        for i in picks:
            proof = fetch_hashes(args.url, "/v1/ledger/proof/inclusion?index=%d&size=%d" % (i, size))
            if not verify_inclusion(i, size, leaves[i], proof, root):
                raise Failure("entry %d" % i, "inclusion_failed", "the coordinator's PATH does not verify")
            if proof != tree.path(i, 0, size):
                raise Failure("entry %d" % i, "inclusion_failed", "verifies but is not RFC 9162's PATH")
        print("inclusion: %d proofs from the coordinator verify (RFC 9162 2.1.3.2), entries %s"
              % (len(picks), picks if len(picks) <= 12 else "%s … %s" % (picks[:6], picks[-3:])))
        out["inclusion_proofs"] = len(picks)
        if earlier:
            size1, root1 = earlier
            proof = fetch_hashes(args.url, "/v1/ledger/proof/consistency?first=%d&second=%d" % (size1, size))
            if not verify_consistency(size1, size, root1, root, proof):
                raise Failure("earlier checkpoint", "consistency_failed",
                              "the coordinator's PROOF(%d, %d) does not verify" % (size1, size))
            if proof != tree.proof(size1, 0, size):
                raise Failure("earlier checkpoint", "consistency_failed", "verifies but is not RFC 9162's PROOF")
            print("consistency: the coordinator's PROOF(%d, %d) of %d hashes verifies (RFC 9162 2.1.4.2)"
                  % (size1, size, len(proof)))
            out["consistency_proof_hashes"] = len(proof)
    t_end = time.perf_counter()
    anchor = anchor_commitment(origin, size, root).hex()
    print("anchor: %s" % anchor)
    out.update(anchor=anchor, seconds_entries=round(t_entries - t0, 3),
               seconds_root=round(t_root - t_entries, 3), seconds_total=round(t_end - t0, 3))
    print("time: %.3f s entries, %.3f s root, %.3f s in all" % (t_entries - t0, t_root - t_entries, t_end - t0))
    if args.json:
        print(json.dumps(out, sort_keys=True))
    print("OK")


def main(argv):
    p = argparse.ArgumentParser(description="independent verifier of a KASCompute ledger export")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="verify an export directory completely")
    v.add_argument("export", help="directory written by `kascompute ledger fetch --out`")
    v.add_argument("--vkey", required=True, help="the coordinator's verifier key, obtained independently")
    v.add_argument("--earlier", help="an earlier export directory, or its checkpoint file")
    v.add_argument("--url", help="the coordinator, to fetch and check inclusion and consistency proofs")
    v.add_argument("--samples", type=int, default=20, help="random entries to prove included (default 20)")
    v.add_argument("--seed", type=int, default=1)
    v.add_argument("--json", action="store_true", help="also print a one-line JSON report")
    k = sub.add_parser("vkey", help="print the vkey of an origin and an Ed25519 public key")
    k.add_argument("--origin", required=True)
    k.add_argument("--public-key-hex", required=True)
    t = sub.add_parser("selftest", help="check this verifier against the ledger vectors")
    t.add_argument("vectors", help="kascompute-testkit/src/main/resources/io/kascompute/testkit/vectors/ledger")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 2
    try:
        if args.command == "vkey":
            try:
                key = bytes.fromhex(args.public_key_hex)
            except ValueError:
                raise Unreadable("--public-key-hex is not hex")
            if len(key) != 32:
                raise Unreadable("--public-key-hex is not 32 bytes")
            print(make_vkey(args.origin, key))
        elif args.command == "selftest":
            selftest(args)
        else:
            verify(args)
        return 0
    except Failure as f:
        print("FAIL %s: %s: %s" % (f.where, f.code, f.message), file=sys.stderr)
        return 1
    except Unreadable as u:
        print("error: %s" % u, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
