#!/usr/bin/env python3
"""Summarises a JFR recording (JDK 17 has no `jfr view`): the hottest methods by execution
samples (top frame, and inclusive: anywhere on the sampled stack), samples per thread, the
garbage collections (count, total pause, share of the recording), and the allocation samples by
class. Reads `jfr print --json` of the recording.

    jfr_summary.py RECORDING.jfr [TOP]
"""
import collections
import json
import subprocess
import sys


def events(recording, names):
    out = subprocess.run(["jfr", "print", "--json", "--events", ",".join(names), recording],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def method(frame):
    m = frame["method"]
    return m["type"]["name"] + "." + m["name"]


def seconds(duration):
    # ISO-8601 durations as JFR prints them: PT0.001234S, PT1M2.5S
    d = duration[2:-1] if duration.endswith("S") else duration[2:] + "0"
    total = 0.0
    for unit, factor in (("H", 3600), ("M", 60)):
        if unit in d:
            head, d = d.split(unit, 1)
            total += float(head) * factor
    return total + (float(d) if d else 0.0)


def instant(ts):
    # 2026-12-01T15:40:46.123456789Z -> seconds within the day, enough for a span
    t = ts.split("T")[1].rstrip("Z")
    h, m, s = t.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def main():
    recording = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    samples = events(recording, ["jdk.ExecutionSample"])
    n = len(samples)
    self_count = collections.Counter()
    incl_count = collections.Counter()
    threads = collections.Counter()
    for e in samples:
        v = e["values"]
        frames = (v.get("stackTrace") or {}).get("frames") or []
        threads[(v.get("sampledThread") or {}).get("javaName") or "?"] += 1
        if frames:
            self_count[method(frames[0])] += 1
            for m in {method(f) for f in frames}:
                incl_count[m] += 1
    print(f"{n} execution samples (Java code only; time in the JVM's own threads is not sampled)")
    print("\nhottest methods, self (top frame):")
    for m, c in self_count.most_common(top):
        print(f"  {100.0 * c / n:5.1f}%  {m}")
    print("\nhottest methods, inclusive (on the stack):")
    for m, c in incl_count.most_common(top):
        print(f"  {100.0 * c / n:5.1f}%  {m}")
    print("\nsamples per thread:")
    for t, c in threads.most_common(8):
        print(f"  {100.0 * c / n:5.1f}%  {t}")

    gcs = events(recording, ["jdk.GarbageCollection", "jdk.GCHeapSummary"])
    collections_ = [e["values"] for e in gcs if e["type"] == "jdk.GarbageCollection"]
    heaps = [e["values"] for e in gcs if e["type"] == "jdk.GCHeapSummary"]
    span = [instant(e["values"]["startTime"]) for e in samples] or [0.0]
    wall = max(span) - min(span)
    pause = sum(seconds(g["sumOfPauses"]) for g in collections_)
    by_name = collections.Counter(g["name"] for g in collections_)
    peak = max((h["heapUsed"] for h in heaps), default=0)
    print(f"\ngarbage collections: {len(collections_)} ({dict(by_name)}), pauses {pause:.3f} s in"
          f" all, {100.0 * pause / wall if wall else 0:.1f}% of the {wall:.1f} s sampled;"
          f" peak heap used {peak / 2**20:.0f} MB")

    comp = events(recording, ["jdk.Compilation", "jdk.CPULoad"])
    jit = sum(seconds(e["values"]["duration"]) for e in comp if e["type"] == "jdk.Compilation")
    loads = [e["values"] for e in comp if e["type"] == "jdk.CPULoad"]
    if loads:
        jvm = sum(v["jvmUser"] + v["jvmSystem"] for v in loads) / len(loads)
        machine = sum(v["machineTotal"] for v in loads) / len(loads)
        print(f"CPU (jdk.CPULoad, mean of {len(loads)} samples): this JVM {100 * jvm:.0f}%,"
              f" whole machine {100 * machine:.0f}% of all cores")
    print(f"JIT compilations longer than the 100 ms threshold of settings=profile: {sum(1 for e in comp if e['type'] == 'jdk.Compilation')},"
          f" {jit:.2f} s of compiler-thread time")

    allocs = events(recording, ["jdk.ObjectAllocationSample"])
    weight = collections.Counter()
    for e in allocs:
        v = e["values"]
        weight[v["objectClass"]["name"]] += v["weight"]
    total = sum(weight.values())
    print(f"\nallocation (jdk.ObjectAllocationSample weights): {total / 2**30:.2f} GiB in all, by class:")
    for c, w in weight.most_common(8):
        print(f"  {100.0 * w / total if total else 0:5.1f}%  {c}")
    site = collections.Counter()
    for e in allocs:
        v = e["values"]
        frames = (v.get("stackTrace") or {}).get("frames") or []
        for f in frames:
            m = method(f)
            if not m.startswith(("java/", "jdk/", "sun/", "java.", "jdk.", "sun.")):
                site[m] += v["weight"]
                break
    print("allocation by first SDK or library frame:")
    for m, w in site.most_common(8):
        print(f"  {100.0 * w / total if total else 0:5.1f}%  {m}")


if __name__ == "__main__":
    main()
