"""V1 job-proof bytes in both signature schemes, written from docs/spec/proofs.md.

Shared by gen_v1_proofs.py and verify_openssl.py. Independent of the SDK: the payload bytes are
built here from the spec's rules, and every Ed25519 operation is OpenSSL's (pyca/cryptography).
"""

_SHORT_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}


def json_string(s):
    """A JSON string escaped minimally: quote, backslash and C0 controls; nothing else."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif c < 0x20:
            out.append(_SHORT_ESCAPES.get(c) or "\\u%04x" % c)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def digest_payload(node_id, miner_id, job_id, work_units, workload_mode, elapsed_ms,
                   client_version, ts):
    """The digest scheme's payload bytes: compact JSON in V1 schema order (miner_id optional)."""
    parts = ['{"node_id":', json_string(node_id)]
    if miner_id is not None:
        parts += [',"miner_id":', json_string(miner_id)]
    parts += [',"job_id":', str(job_id), ',"work_units":', str(work_units),
              ',"workload_mode":', json_string(workload_mode), ',"elapsed_ms":', str(elapsed_ms),
              ',"client_version":', json_string(client_version), ',"ts":', str(ts), '}']
    return "".join(parts).encode("utf-8")


def launcher_proof_message(node_id, job_id, work_units, ts):
    """The launcher scheme's job proof message: pf|node_id|job_id|work_units|ts."""
    return ("pf|%s|%d|%d|%d" % (node_id, job_id, work_units, ts)).encode("utf-8")


def launcher_heartbeat_message(node_id, compute_profile, timestamp_unix):
    """The launcher scheme's heartbeat message: hb|node_id|compute_profile|timestamp_unix."""
    return ("hb|%s|%s|%d" % (node_id, compute_profile, timestamp_unix)).encode("utf-8")
