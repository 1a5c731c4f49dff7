#!/usr/bin/env python3
"""Applies Prometheus JMX exporter rules to bean attribute lines, as the exporter does: each line
`domain<key=value, ...><>attribute: value` is matched against each rule's pattern wrapped in
^.*(?:pattern).*$, the first match names the sample ($n are the pattern's groups), names are
lowercased with lowercaseOutputName, characters outside [a-zA-Z0-9:_] become _. Unmatched lines
produce nothing.

usage: jmx_rules_apply.py RULES_YML < lines   → one JSON object per line: {"line", "name", "labels"} or null
"""
import json
import re
import sys

import yaml

config = yaml.safe_load(open(sys.argv[1]))
if "data" in config:  # a ConfigMap: the rules are the first data entry
    config = yaml.safe_load(next(iter(config["data"].values())))
rules = [(re.compile("^.*(?:" + r["pattern"] + ").*$"), r) for r in config["rules"]]


def expand(template, m):
    return re.sub(r"\$(\d+)", lambda g: m.group(int(g.group(1))) or "", template)


def safe(name):
    return re.sub(r"[^a-zA-Z0-9:_]", "_", name)


for line in sys.stdin:
    line = line.rstrip("\n")
    if not line:
        continue
    out = None
    for pattern, rule in rules:
        m = pattern.match(line)
        if not m:
            continue
        name = safe(expand(rule["name"], m))
        if config.get("lowercaseOutputName"):
            name = name.lower()
        labels = {}
        for k, v in (rule.get("labels") or {}).items():
            key = safe(expand(k, m))
            if config.get("lowercaseOutputLabelNames"):
                key = key.lower()
            labels[key] = expand(v, m)
        out = {"line": line, "name": name, "labels": labels}
        break
    print(json.dumps(out))
