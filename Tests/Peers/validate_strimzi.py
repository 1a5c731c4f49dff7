#!/usr/bin/env python3
"""Validates Strimzi resources against the CRDs' openAPIV3Schema (spec and apiVersion).

usage: validate_strimzi.py CRD_DIR FILE...   → "valid N" or the first error, exit 0/1
"""
import glob
import sys

import jsonschema
import yaml

crds = {}
for path in glob.glob(sys.argv[1] + "/*.yaml"):
    crd = yaml.safe_load(open(path))
    crds[crd["spec"]["names"]["kind"]] = crd

count = 0
for path in sys.argv[2:]:
    for doc in yaml.safe_load_all(open(path)):
        if not doc:
            continue
        kind = doc.get("kind")
        crd = crds.get(kind)
        if crd is None:
            print(f"invalid: {path}: no CRD for kind {kind}")
            sys.exit(1)
        group, _, version = doc["apiVersion"].partition("/")
        served = [v for v in crd["spec"]["versions"] if v.get("served")]
        match = [v for v in served if v["name"] == version]
        if group != crd["spec"]["group"] or not match:
            print(f"invalid: {path}: {kind} apiVersion {doc['apiVersion']} is not served ({[v['name'] for v in served]})")
            sys.exit(1)
        schema = match[0]["schema"]["openAPIV3Schema"]
        try:
            jsonschema.validate(doc.get("spec", {}), schema["properties"]["spec"], cls=jsonschema.Draft4Validator)
        except jsonschema.ValidationError as e:
            print(f"invalid: {path}: {kind} {doc['metadata']['name']}: {e.message} at {list(e.absolute_path)}")
            sys.exit(1)
        count += 1
print(f"valid {count}")
