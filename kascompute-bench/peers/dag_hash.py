#!/usr/bin/env python3
"""A plain Python peer of `kascompute dag hash` (json + hashlib only), written from
docs/spec/dag.md: the same input files, the same output bytes, the same exit codes.

Usage: dag_hash.py FILE|-

Prints {"dag_root_hash":...,"tasks_total":N,"tasks":{id:hash,...}} with tasks in code-point
order of their ids. It reads JSON with Python's json module, which is more lenient than the SDK's
strict reader (it keeps the last of duplicate keys, for one), so it is a peer for valid specs and
for the refusals of V1's own validation, not for malformed JSON.

Exit codes: 0 success; 1 the input was read and is invalid; 2 the input cannot be read.
"""
import hashlib
import json
import sys

# Unicode White_Space, which Rust's str::trim trims (Python's str.strip trims more: U+001C..U+001F).
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
MIN_I64 = -(1 << 63)
MAX_U64 = (1 << 64) - 1


class Invalid(Exception):
    pass


def ecma_number(x):
    """RFC 8785 / ECMAScript Number::toString of a finite float (repr gives the shortest digits)."""
    if x != x or x in (float("inf"), float("-inf")):
        raise Invalid("invalid_number: number has no finite double value")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    mantissa, _, exp = repr(abs(x)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    # The value is 0.DIGITS x 10^n.
    n = len(whole) + (int(exp) if exp else 0)
    stripped = digits.lstrip("0")
    n -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        s = digits + "0" * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        s = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") \
            + str(abs(e))
    return sign + s


def plain(v):
    """True if json.dumps writes v exactly as the canonical form does."""
    t = type(v)
    if t is str or t is bool or v is None:
        return True
    if t is int:
        return MIN_I64 <= v <= MAX_U64
    if t is list:
        return all(plain(e) for e in v)
    if t is dict:
        return all(plain(e) for e in v.values())
    return False


def canonical(v):
    if plain(v):
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    t = type(v)
    if t is float:
        return ecma_number(v)
    if t is int:
        try:
            return ecma_number(float(v))
        except OverflowError:
            raise Invalid("invalid_number: number has no finite double value")
    if t is list:
        return "[" + ",".join(canonical(e) for e in v) + "]"
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v[k])
                          for k in sorted(v)) + "}"


def string(field, v):
    if type(v) is not str:
        raise Invalid("wrong_type: field %s must be a string" % field)
    return v


def refuse_constant(name):
    raise Invalid("invalid_number: JSON has no %s" % name)


def dag_hash(doc):
    if type(doc) is not dict:
        raise Invalid("wrong_type: the DAG file must be a JSON object")
    spec = doc["spec"] if "nodes" not in doc and type(doc.get("spec")) is dict else doc
    for f in ("name", "nodes", "edges"):
        if spec.get(f) is None:
            raise Invalid("missing_field: field %s is required" % f)
    name = string("name", spec["name"])
    if type(spec["nodes"]) is not list or type(spec["edges"]) is not list:
        raise Invalid("wrong_type: nodes and edges must be arrays")
    tasks = {}
    for i, n in enumerate(spec["nodes"]):
        if type(n) is not dict:
            raise Invalid("wrong_type: nodes[%d] must be a JSON object" % i)
        tid = string("nodes[%d].task_id" % i, n.get("task_id"))
        wu = n.get("work_units")
        if type(wu) is not int or not 0 <= wu <= MAX_U64:
            raise Invalid("field_out_of_range: nodes[%d].work_units" % i)
        raw_type = n.get("task_type")
        raw_type = "" if raw_type is None else string("nodes[%d].task_type" % i, raw_type)
        if not tid.strip(WHITE_SPACE):
            raise Invalid("invalid_id: task id %r is empty after trimming whitespace" % tid)
        if tid in tasks:
            raise Invalid("duplicate_task_id: task id %r is used by more than one task" % tid)
        tasks[tid] = (wu, raw_type, canonical(n.get("params")))
    edges = []
    for i, e in enumerate(spec["edges"]):
        if type(e) is list and len(e) == 2:
            f, t = string("edges[%d][0]" % i, e[0]), string("edges[%d][1]" % i, e[1])
        elif type(e) is dict:
            f, t = string("edges[%d].from" % i, e.get("from")), string("edges[%d].to" % i, e.get("to"))
        else:
            raise Invalid("wrong_type: edges[%d] must be an object or an array of two ids" % i)
        if f == t:
            raise Invalid("self_loop: task %r depends on itself" % f)
        if f not in tasks or t not in tasks:
            raise Invalid("unknown_edge_task: edge %r -> %r names an unknown task" % (f, t))
        edges.append((f, t))
    # Kahn's algorithm over distinct dependencies.
    indegree = dict.fromkeys(tasks, 0)
    out = {}
    for f, t in set(edges):
        out.setdefault(f, []).append(t)
        indegree[t] += 1
    ready = [t for t, d in indegree.items() if d == 0]
    seen = 0
    while ready:
        v = ready.pop()
        seen += 1
        for w in out.get(v, ()):
            indegree[w] -= 1
            if indegree[w] == 0:
                ready.append(w)
    if seen != len(tasks):
        raise Invalid("cycle: the dependencies form a cycle")

    ids = sorted(tasks)  # Python compares strings by code point
    dumps = json.dumps
    parts = ['{"name":', dumps(name, ensure_ascii=False), ',"nodes":[']
    node_parts = []
    for tid in ids:
        wu, raw_type, params = tasks[tid]
        task_type = raw_type if raw_type.strip(WHITE_SPACE) else "sim"
        node_parts.append('{"task_id":%s,"work_units":%d,"task_type":%s,"params":%s}'
                          % (dumps(tid, ensure_ascii=False), wu,
                             dumps(task_type, ensure_ascii=False), params))
    parts.append(",".join(node_parts))
    parts.append('],"edges":[')
    edges.sort()
    parts.append(",".join('{"from":%s,"to":%s}' % (dumps(f, ensure_ascii=False),
                                                  dumps(t, ensure_ascii=False))
                          for f, t in edges))
    parts.append("]}")
    root = hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()
    prefix = ("task|" + root + "|").encode("ascii")
    lines = []
    for tid in ids:
        wu, raw_type, params = tasks[tid]
        h = hashlib.sha256(prefix + tid.encode("utf-8") + b"|" + wu.to_bytes(8, "little") + b"|"
                           + raw_type.encode("utf-8") + b"|" + params.encode("utf-8")).hexdigest()
        lines.append('%s:"%s"' % (dumps(tid, ensure_ascii=False), h))
    return '{"dag_root_hash":"%s","tasks_total":%d,"tasks":{%s}}\n' % (root, len(ids),
                                                                        ",".join(lines))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: dag_hash.py FILE|-\n")
        return 2
    path = sys.argv[1]
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    except OSError as e:
        sys.stderr.write("error: cannot read %s: %s\n" % (path, e.strerror))
        return 2
    try:
        doc = json.loads(data, parse_constant=refuse_constant)
        result = dag_hash(doc)
    except Invalid as e:
        sys.stderr.write("error: %s: %s\n" % (path, e))
        return 1
    except (ValueError, RecursionError) as e:
        sys.stderr.write("error: %s: malformed_json: %s\n" % (path, e))
        return 1
    sys.stdout.buffer.write(result.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
