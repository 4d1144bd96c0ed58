#!/usr/bin/env python3
"""Writes a deterministic, layered ComputeDAG spec for the `kascompute dag hash` benchmark.

Usage: gen_dag_spec.py [--tasks N] [--seed S] [--width W] > spec.json

Layers of W tasks (default 1000); every task after the first layer depends on two distinct
tasks of the layer before, so N tasks give about 2N edges. Nodes are written in generation
order (not code-point order), edges shuffled, with a mix of what submitters send: absent, empty,
whitespace-only and named task types, params objects with integers, strings, nested arrays and
the odd float, and about one edge in a hundred written as a two-element array. 200,000 tasks
make about 33 MB. Output is `{"spec": {...}}` in Python's default json.dumps layout.
"""
import argparse
import json
import random
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--width", type=int, default=1000)
    a = ap.parse_args()
    r = random.Random(a.seed)
    types = [None, None, "", "sim", "gpu", "cpu", " ", "\u00a0", "render"]
    models = ["tiny", "small", "base", "large", "r\u00e9sum\u00e9", "\u6a21\u578b"]
    nodes = []
    edges = []
    for i in range(a.tasks):
        node = {"task_id": "task-%d" % i,
                "work_units": r.randrange(1, 5_000_000)}
        t = types[r.randrange(len(types))]
        if t is not None:
            node["task_type"] = t
        if r.randrange(3) == 0:
            params = {"seed": r.randrange(1 << 40), "model": models[r.randrange(len(models))],
                      "shape": [r.randrange(1, 64), r.randrange(1, 64)]}
            if r.randrange(20) == 0:
                params["lr"] = r.randrange(1, 1000) / 1024
            node["params"] = params
        nodes.append(node)
        layer_start = i - i % a.width
        if layer_start > 0:
            prev = layer_start - a.width
            x = prev + r.randrange(a.width)
            y = prev + r.randrange(a.width - 1)
            if y >= x:
                y += 1
            for f in (x, y):
                if r.randrange(100) == 0:
                    edges.append([nodes[f]["task_id"], node["task_id"]])
                else:
                    edges.append({"from": nodes[f]["task_id"], "to": node["task_id"]})
    r.shuffle(edges)
    json.dump({"spec": {"name": "bench-%d" % a.tasks, "nodes": nodes, "edges": edges}},
              sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
