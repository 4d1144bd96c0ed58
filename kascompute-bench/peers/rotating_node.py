#!/usr/bin/env python3
"""A node written from the specs that proves jobs (one for a miner), rotates its key, proves again.

    rotating_node.py --url URL [--node-id ID] [--seed-hex OLD] [--next-seed-hex NEW]
                     [--miner-id ID] [--miner-seed-hex HEX] [--timeout S]

Sources: docs/spec/coordinator.md (3.1 heartbeat, 3.2 job proof, 4.1 pinning, 4.2 rotation) and
docs/spec/proofs.md (2.1 job payload, 2.2 heartbeat payload). It sends a heartbeat signed with the
old key (which pins it), leases a job and proves it in the digest scheme with the old key, proves
a second one for a miner (v1.1.1: `miner_id`, signed with the key the miner's own heartbeat
pinned), checks that a rotation consented by the new key instead of the pinned one is refused,
sends a rotating heartbeat signed with the new key carrying `rotation_signature_hex` (the old
key's Ed25519 signature over `kc-rotate|<node_id>|<old hex>|<new hex>|<timestamp_unix>`), then
leases and proves a job with the new key. So the coordinator's ledger holds a digest job under
the old key, one with a `miner_id` under the miner's key, a `key_rotation` entry `by` `"node"`,
and a digest job under the new key, all for one node id (a free-form id: `kc_` + 16 hex digits
would be tied to one key). Prints one JSON line with what it did; exit 0 when every answer was
the one the spec promises, 1 otherwise.
"""

import argparse
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from v1proofs import digest_payload, json_string  # noqa: E402

CLIENT_VERSION = "peer-rotating-node/0.1"


def post(url, path, body):
    data = json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url.rstrip("/") + path, data=data, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


class Key:
    def __init__(self, seed_hex):
        self.secret = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex))
        self.public_hex = self.secret.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()

    def sign(self, message):
        return self.secret.sign(message).hex()


def heartbeat(node_id, key, roles, ts):
    """proofs.md 2.2: the SDK heartbeat payload, signed over its SHA-256."""
    payload = ('{"node_id":%s,"public_key_hex":%s,"roles":[%s],"client_version":%s,"timestamp_unix":%d}' % (
        json_string(node_id), json_string(key.public_hex), ",".join(json_string(r) for r in roles),
        json_string(CLIENT_VERSION), ts)).encode("utf-8")
    return {"node_id": node_id, "public_key_hex": key.public_hex, "roles": roles,
            "client_version": CLIENT_VERSION, "timestamp_unix": ts,
            "signature_hex": key.sign(hashlib.sha256(payload).digest())}


def prove_one_job(url, node_id, key, deadline, miner_id=None):
    while True:
        status, answer = post(url, "/v1/jobs/next", {"node_id": node_id})
        job = (answer.get("data") or {}).get("job") if status == 200 else None
        if job:
            break
        if time.time() > deadline:
            raise RuntimeError("no job within the timeout (last answer %d %s)" % (status, answer))
        time.sleep(0.2)
    ts = int(time.time())
    elapsed_ms = 1000
    payload = digest_payload(node_id, miner_id, int(job["id"]), int(job["work_units"]), "sim", elapsed_ms,
                             CLIENT_VERSION, ts)
    digest = hashlib.sha256(payload).digest()
    body = {"node_id": node_id, "work_units": job["work_units"], "workload_mode": "sim",
            "elapsed_ms": elapsed_ms, "client_version": CLIENT_VERSION, "timestamp_unix": ts,
            "proof_hash": digest.hex(), "signature_hex": key.sign(digest), "public_key_hex": key.public_hex}
    if miner_id is not None:
        body["miner_id"] = miner_id
    if "lease_epoch" in job:
        body["lease_epoch"] = job["lease_epoch"]
    status, answer = post(url, "/v1/jobs/%d/proof" % int(job["id"]), body)
    if status != 200:
        raise RuntimeError("job %s proof refused: %d %s" % (job["id"], status, answer))
    return {"job_id": job["id"], "ledger_index": (answer.get("data") or {}).get("ledger_index")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--node-id", default="peer-rotating-node")
    ap.add_argument("--seed-hex", default=hashlib.sha256(b"peer rotating node old key").hexdigest())
    ap.add_argument("--next-seed-hex", default=hashlib.sha256(b"peer rotating node new key").hexdigest())
    ap.add_argument("--miner-id", default="peer-miner")
    ap.add_argument("--miner-seed-hex", default=hashlib.sha256(b"peer miner key").hexdigest())
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    deadline = time.time() + a.timeout
    old, new, miner = Key(a.seed_hex), Key(a.next_seed_hex), Key(a.miner_seed_hex)
    node = a.node_id
    report = {"node_id": node, "old_public_key_hex": old.public_hex, "new_public_key_hex": new.public_hex}
    try:
        status, answer = post(a.url, "/v1/nodes/heartbeat", heartbeat(node, old, ["node", "miner"], int(time.time())))
        if status != 200:
            raise RuntimeError("pinning heartbeat refused: %d %s" % (status, answer))
        report["before"] = prove_one_job(a.url, node, old, deadline)

        # v1.1.1: a miner with its own pinned key signs a proof for a job this node leased.
        status, answer = post(a.url, "/v1/nodes/heartbeat", heartbeat(a.miner_id, miner, ["miner"], int(time.time())))
        if status != 200:
            raise RuntimeError("miner heartbeat refused: %d %s" % (status, answer))
        report["for_miner"] = prove_one_job(a.url, node, miner, deadline, miner_id=a.miner_id)

        # A rotating heartbeat whose consent is signed by a key that is not the pinned one must be refused.
        ts = int(time.time())
        forged = heartbeat(node, new, ["node", "miner"], ts)
        forged["rotation_signature_hex"] = new.sign(
            ("kc-rotate|%s|%s|%s|%d" % (node, old.public_hex, new.public_hex, ts)).encode("utf-8"))
        status, answer = post(a.url, "/v1/nodes/heartbeat", forged)
        if status != 422:
            raise RuntimeError("a rotation consented by the new key was answered %d %s" % (status, answer))
        report["forged_rotation"] = (answer.get("error") or {}).get("code")

        rotating = heartbeat(node, new, ["node", "miner"], ts)
        rotating["rotation_signature_hex"] = old.sign(
            ("kc-rotate|%s|%s|%s|%d" % (node, old.public_hex, new.public_hex, ts)).encode("utf-8"))
        status, answer = post(a.url, "/v1/nodes/heartbeat", rotating)
        if status != 200:
            raise RuntimeError("rotating heartbeat refused: %d %s" % (status, answer))
        report["rotation_ts"] = ts
        report["after"] = prove_one_job(a.url, node, new, deadline)
    except (RuntimeError, OSError, ValueError) as e:
        report["error"] = str(e)
        print(json.dumps(report))
        return 1
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
