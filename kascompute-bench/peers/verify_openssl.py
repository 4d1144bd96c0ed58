#!/usr/bin/env python3
"""An independent offline verifier of V1 job proofs: Python's json plus OpenSSL's Ed25519.

Reads JSON Lines (FILE or stdin) and writes one line per non-blank input line in the format of
`kascompute verify --json`:
    {"line":N,"valid":true,"scheme":"digest"|"launcher"}
    {"line":N,"valid":false,"reason":"<code>","node_id":"...","job_id":N}
(node_id and job_id when they could be read). The checks and their order follow
docs/spec/proofs.md: fields, hex of proof_hash, signature and public_key_hex, proof_hash against
the rebuilt digest payload, the key, then the signature over the digest and over the launcher's
pf| message (a record without proof_hash tries the launcher message first; a signature cannot
verify over both, so the order changes no verdict). Ed25519 is OpenSSL's, through
pyca/cryptography; decoded keys are cached as an auditor would.
"""
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

import v1proofs

U64 = (1 << 64) - 1
HEX = set("0123456789abcdefABCDEF")


class Refused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def no_duplicates(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise Refused("duplicate_key")
        obj[k] = v
    return obj


def no_constants(name):
    raise Refused("invalid_number")


def get(o, name, alias=None):
    v = o.get(name)
    if alias is not None:
        a = o.get(alias)
        if v is not None and a is not None:
            raise Refused("duplicate_field")
        if v is None:
            v = a
    return v


def string(o, name, alias=None, required=False):
    v = get(o, name, alias)
    if v is None:
        if required:
            raise Refused("missing_field")
        return None
    if not isinstance(v, str):
        raise Refused("wrong_type")
    return v


def u64(o, name, alias=None, required=False):
    v = get(o, name, alias)
    if v is None:
        if required:
            raise Refused("missing_field")
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise Refused("wrong_type")
    if isinstance(v, float) or v < 0 or v > U64:
        raise Refused("field_out_of_range")
    return v


def unhex(text, length):
    if len(text) % 2 or any(c not in HEX for c in text):
        raise Refused("malformed_hex")
    if len(text) != 2 * length:
        raise Refused("wrong_length")
    return bytes.fromhex(text)


class Verifier:
    def __init__(self):
        self.keys = {}

    def key(self, raw):
        k = self.keys.get(raw)
        if k is None:
            try:
                k = Ed25519PublicKey.from_public_bytes(raw)
            except ValueError:
                raise Refused("invalid_public_key")
            if len(self.keys) >= 4096:
                self.keys.clear()
            self.keys[raw] = k
        return k

    def verify(self, o):
        """Returns the scheme that verified, or raises Refused."""
        node_id = string(o, "node_id", required=True)
        miner_id = string(o, "miner_id")
        job_id = u64(o, "job_id", required=True)
        work_units = u64(o, "work_units", required=True)
        workload_mode = string(o, "workload_mode")
        elapsed_ms = u64(o, "elapsed_ms")
        client_version = string(o, "client_version")
        ts = u64(o, "timestamp_unix", "ts")
        if ts is None:
            raise Refused("missing_field")
        proof_hash = string(o, "proof_hash_hex", "proof_hash")
        signature = string(o, "signature_hex", "signature", required=True)
        public_key = string(o, "public_key_hex")

        claimed = unhex(proof_hash, 32) if proof_hash is not None else None
        sig = unhex(signature, 64)
        if public_key is None:
            raise Refused("missing_field")
        pk = unhex(public_key, 32)
        digest = None
        if elapsed_ms is not None:
            digest = hashlib.sha256(v1proofs.digest_payload(
                node_id, miner_id, job_id, work_units,
                "sim" if workload_mode is None else workload_mode, elapsed_ms,
                "unknown" if client_version is None else client_version, ts)).digest()
        if claimed is not None:
            if digest is None:
                raise Refused("missing_field")
            if digest != claimed:
                raise Refused("hash_mismatch")
        key = self.key(pk)
        attempts = []
        if digest is not None:
            attempts.append(("digest", digest))
        if miner_id is None:
            launcher = ("launcher", v1proofs.launcher_proof_message(node_id, job_id, work_units, ts))
            attempts.insert(0 if claimed is None else len(attempts), launcher)
        for scheme, message in attempts:
            try:
                key.verify(sig, message)
                return scheme
            except InvalidSignature:
                pass
        raise Refused("bad_signature")


def main():
    source = open(sys.argv[1], "rb") if len(sys.argv) > 1 and sys.argv[1] != "-" else sys.stdin.buffer
    out = sys.stdout
    verifier = Verifier()
    valid = invalid = 0
    for number, raw in enumerate(source, start=1):
        raw = raw.rstrip(b"\n")
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if not raw.strip(b" \t"):
            continue
        o = None
        try:
            try:
                o = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates,
                               parse_constant=no_constants)
            except UnicodeDecodeError:
                raise Refused("invalid_utf8")
            except ValueError:
                raise Refused("malformed_json")
            if not isinstance(o, dict):
                raise Refused("wrong_type")
            try:
                scheme = verifier.verify(o)
            except UnicodeEncodeError:
                raise Refused("invalid_utf8")
            out.write('{"line":%d,"valid":true,"scheme":"%s"}\n' % (number, scheme))
            valid += 1
        except Refused as e:
            invalid += 1
            extra = ""
            if isinstance(o, dict):
                node_id = o.get("node_id")
                if isinstance(node_id, str):
                    extra += ',"node_id":' + v1proofs.json_string(node_id)
                job_id = o.get("job_id")
                if isinstance(job_id, int) and not isinstance(job_id, bool) and 0 <= job_id <= U64:
                    extra += ',"job_id":%d' % job_id
            out.write('{"line":%d,"valid":false,"reason":"%s"%s}\n' % (number, e.reason, extra))
    out.flush()
    sys.stderr.write("verified %d proofs: %d valid, %d invalid\n" % (valid + invalid, valid, invalid))
    sys.exit(1 if invalid else 0)


if __name__ == "__main__":
    main()
