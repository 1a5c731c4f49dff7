#!/usr/bin/env python3
# Medians and per-run ratios of scripts/bench-load output (JSON lines): python3 benchmarks/bench_medians.py FILE...
import json, sys, statistics as st
lines = [json.loads(l) for f in sys.argv[1:] for l in open(f) if l.strip().startswith("{")]
def kind(d):
    t = d["tool"]
    if t.startswith("kafka-architect"):
        if "no-histogram" in t: return "ours-nohist"
        if "consume" in t: return "ours-consume"
        if " at " in t: return "ours-rate"
        return "ours-max"
    m = d.get("mode")
    who = "c" if t.startswith("librdkafka") else "py"
    if m == "consume": return who + "-consume"
    return who + ("-rate" if d["records"] != 300000 else "-max")
runs = []; cur = {}
for d in lines:
    k = kind(d)
    if k in cur: runs.append(cur); cur = {}
    cur[k] = d
runs.append(cur)
def col(k, f="recordsPerSecond"): return [r[k][f] for r in runs if k in r and r[k].get(f) is not None]
def ratios(a, b, f="recordsPerSecond"): return [r[a][f]/r[b][f] for r in runs if a in r and b in r and r[a].get(f) and r[b].get(f)]
def show(name, xs): 
    if xs: print(f"{name}: median {st.median(xs):,.3f} min {min(xs):,.3f} max {max(xs):,.3f} n={len(xs)}  {[round(x,3) for x in xs]}")
for k in ["ours-max","c-max","py-max","ours-nohist","ours-consume","c-consume","py-consume"]: show(k, col(k))
show("max ours/c", ratios("ours-max","c-max")); show("max ours/py", ratios("ours-max","py-max"))
show("consume ours/c", ratios("ours-consume","c-consume")); show("consume ours/py", ratios("ours-consume","py-consume"))
show("hist with/without", ratios("ours-max","ours-nohist"))
for f in ["p50Us","p99Us"]:
    show("rate ours "+f, col("ours-rate", f)); show("rate c "+f, col("c-rate", f)); show("rate ours/c "+f, ratios("ours-rate","c-rate",f))
show("rate ours rps", col("ours-rate")); show("rate c rps", col("c-rate"))
