#!/usr/bin/env python3
"""Runs `promtool test rules` on generated alerting rules with the cases a test wrote.

usage: promtool_alert_test.py ALERTS_YML CASES_JSON
CASES_JSON: [{"alert": NAME, "series": [{"series": "...", "values": "..."}], "eval": "15m", "fires": bool}]
A case that fires expects exactly one alert with the rule's own labels and annotations (the rule
aggregates to one series); one that does not expects none. Prints promtool's output; its exit code.
"""
import json
import os
import subprocess
import sys
import tempfile

import yaml

alerts_path, cases_path = sys.argv[1], sys.argv[2]
rules = {r["alert"]: r for g in yaml.safe_load(open(alerts_path))["groups"] for r in g["rules"]}
tests = []
for case in json.load(open(cases_path)):
    rule = rules.get(case["alert"])
    if rule is None:
        print(f"no rule {case['alert']}")
        sys.exit(2)
    expected = []
    if case["fires"]:
        expected = [{"exp_labels": rule.get("labels", {}), "exp_annotations": rule.get("annotations", {})}]
    tests.append({
        "interval": "1m",
        "input_series": case["series"],
        "alert_rule_test": [{"eval_time": case["eval"], "alertname": case["alert"], "exp_alerts": expected}],
    })
directory = tempfile.mkdtemp()
test_path = os.path.join(directory, "test.yml")
with open(test_path, "w") as f:
    yaml.safe_dump({"rule_files": [os.path.abspath(alerts_path)], "evaluation_interval": "1m", "tests": tests}, f)
r = subprocess.run(["promtool", "test", "rules", test_path], capture_output=True, text=True)
print(r.stdout + r.stderr)
sys.exit(r.returncode)
