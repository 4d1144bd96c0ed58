#!/usr/bin/env python3
"""Writes random V1 job proofs as JSON Lines, in both signature schemes, signed with OpenSSL.

Node and miner ids are drawn with control characters, non-ASCII, U+2028, DEL, quotes,
backslashes, pipes and empty ids; field names use the primary names or their aliases at random;
a fraction of the lines is corrupted. With --expect FILE, the verdict each line must get is
written there in the format of `kascompute verify --json` (line, valid, scheme or reason).

    gen_v1_proofs.py --count 60000 --seed 1 [--nodes 1000] [--corrupt 0.02]
                     [--launcher 0.4] [--miner 0.1] [--control 0.3] [--unique-node-ids]
                     [--expect FILE] > proofs.jsonl
"""
import argparse
import hashlib
import json
import random
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import v1proofs

U64 = (1 << 64) - 1
ODD_CHARS = [chr(c) for c in range(0x20)] + ["\x7f", "\u00e9", "\u4e2d", "\u2028", "\u2029",
                                             "\U0001f600", '"', "\\", "|", "/", " ", "\u00a0"]


def raw_public(private_key):
    return private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def random_id(rng, prefix, control):
    if rng.random() >= control:
        return "%s%08x" % (prefix, rng.getrandbits(32))
    if rng.random() < 0.05:
        return ""
    length = rng.randint(1, 12)
    return "".join(rng.choice(ODD_CHARS) if rng.random() < 0.5 else chr(rng.randint(0x61, 0x7a))
                   for _ in range(length))


def random_u64(rng):
    r = rng.random()
    if r < 0.05:
        return U64
    if r < 0.1:
        return 0
    if r < 0.6:
        return rng.randint(0, 10_000_000)
    return rng.getrandbits(64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--corrupt", type=float, default=0.02)
    ap.add_argument("--launcher", type=float, default=0.4)
    ap.add_argument("--miner", type=float, default=0.1)
    ap.add_argument("--control", type=float, default=0.3)
    ap.add_argument("--unique-node-ids", action="store_true",
                    help="give every line its own node id (the key still comes from --nodes keys)")
    ap.add_argument("--expect")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    nodes = []
    for _ in range(args.nodes):
        key = Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
        nodes.append((random_id(rng, "kc_node_", args.control), key, raw_public(key).hex()))

    out = sys.stdout
    expect = open(args.expect, "w", encoding="utf-8") if args.expect else None
    for line in range(1, args.count + 1):
        node_id, key, pk = rng.choice(nodes)
        if args.unique_node_ids:
            node_id = "%s#%d" % (node_id, line)
        launcher = rng.random() < args.launcher
        miner_id = None
        if not launcher and rng.random() < args.miner:
            miner_id = random_id(rng, "kc_miner_", args.control)
        job_id, work_units, ts = random_u64(rng), random_u64(rng), random_u64(rng)
        elapsed_ms = random_u64(rng)
        workload_mode = rng.choice(["sim", "cpu", "gpu", "", "\u00e9\t"])
        client_version = "protocol-v1" if launcher else rng.choice(
            ["launcher-miner/0.2.0", "kascompute-sdk/0.1.0", "", "v\n1"])
        with_hash = not launcher and rng.random() < 0.9
        with_elapsed = not launcher or rng.random() < 0.5

        payload = v1proofs.digest_payload(
            node_id, miner_id, job_id, work_units, workload_mode, elapsed_ms, client_version, ts)
        digest = hashlib.sha256(payload).digest()
        if launcher:
            signature = key.sign(v1proofs.launcher_proof_message(node_id, job_id, work_units, ts))
        else:
            signature = key.sign(digest)
        verdict = {"scheme": "launcher" if launcher else "digest"}

        record = {"node_id": node_id}
        if miner_id is not None:
            record["miner_id"] = miner_id
        record["job_id"] = job_id
        record["work_units"] = work_units
        if launcher or rng.random() < 0.9:
            record["workload_mode"] = workload_mode
        elif workload_mode != "sim":
            verdict = None  # the default "sim" enters the hash: re-signed below
        if with_elapsed:
            record["elapsed_ms"] = elapsed_ms
        if launcher or rng.random() < 0.9:
            record["client_version"] = client_version
        elif client_version != "unknown":
            verdict = None
        if verdict is None:
            payload = v1proofs.digest_payload(
                node_id, miner_id, job_id, work_units, record.get("workload_mode", "sim"),
                elapsed_ms, record.get("client_version", "unknown"), ts)
            digest = hashlib.sha256(payload).digest()
            signature = key.sign(digest)
            verdict = {"scheme": "digest"}
        if launcher:
            record["result_hash"] = rng.randbytes(32).hex()
        record["timestamp_unix" if rng.random() < 0.5 else "ts"] = ts
        if with_hash:
            record["proof_hash_hex" if rng.random() < 0.5 else "proof_hash"] = digest.hex()
        sig_name = "signature_hex" if rng.random() < 0.5 else "signature"
        record[sig_name] = signature.hex()
        record["public_key_hex"] = pk

        if rng.random() < args.corrupt:
            verdict = corrupt(rng, record, sig_name, with_hash, nodes, pk)

        text = json.dumps(record, ensure_ascii=rng.random() < 0.3, separators=(",", ":"))
        out.write(text + "\n")
        if expect:
            if "scheme" in verdict:
                expect.write('{"line":%d,"valid":true,"scheme":"%s"}\n' % (line, verdict["scheme"]))
            else:
                expect.write('{"line":%d,"valid":false,"reason":"%s","node_id":%s,"job_id":%d}\n'
                             % (line, verdict["reason"], v1proofs.json_string(record["node_id"]),
                                record["job_id"]))
    if expect:
        expect.close()


def corrupt(rng, record, sig_name, with_hash, nodes, pk):
    """Damages one thing in the record and returns the verdict it must then get."""
    kind = rng.choice(["signature_bit", "wrong_key", "work_units", "ts", "node_id", "proof_hash",
                       "unsigned_field", "malformed_hex", "short_signature"])
    ts_name = "timestamp_unix" if "timestamp_unix" in record else "ts"
    hashed_mismatch = {"reason": "hash_mismatch" if with_hash else "bad_signature"}
    if kind == "signature_bit":
        sig = bytearray.fromhex(record[sig_name])
        bit = rng.randrange(512)
        sig[bit // 8] ^= 1 << (bit % 8)
        record[sig_name] = sig.hex()
        return {"reason": "bad_signature"}
    if kind == "wrong_key":
        others = [n for n in nodes if n[2] != pk]
        record["public_key_hex"] = rng.choice(others)[2]
        return {"reason": "bad_signature"}
    if kind == "work_units":
        record["work_units"] = (record["work_units"] + 1) & U64
        return hashed_mismatch
    if kind == "ts":
        record[ts_name] = (record[ts_name] + 1) & U64
        return hashed_mismatch
    if kind == "node_id":
        record["node_id"] = record["node_id"] + "\x01"
        return hashed_mismatch
    if kind == "proof_hash" and with_hash:
        name = "proof_hash_hex" if "proof_hash_hex" in record else "proof_hash"
        record[name] = rng.randbytes(32).hex()
        return {"reason": "hash_mismatch"}
    if kind == "unsigned_field" and record.get("client_version") == "protocol-v1":
        record["workload_mode"] = "tampered"
        record["elapsed_ms"] = 7
        return {"scheme": "launcher"}
    if kind == "malformed_hex":
        record[sig_name] = "zz" + record[sig_name][2:]
        return {"reason": "malformed_hex"}
    record[sig_name] = record[sig_name][:-2]
    return {"reason": "wrong_length"}


if __name__ == "__main__":
    main()
