#!/usr/bin/env python3
"""Checks generated schema files with each format's own implementation: Apache Avro's Python
parser (avro 1.12), protoc, and jsonschema's meta-schema check. A JSON Schema must also accept a
record with its required fields and refuse one without them.

usage: check_schemas.py FILE...   → one line per file, "ok FILE" or "error FILE: ..."; exit 1 on any error
"""
import json
import os
import subprocess
import sys

import avro.schema
import jsonschema

failed = False
for path in sys.argv[1:]:
    try:
        if path.endswith(".avsc"):
            s = avro.schema.parse(open(path).read())
            assert s.type == "record", f"a {s.type}, not a record"
        elif path.endswith(".proto"):
            r = subprocess.run(["protoc", "-I", os.path.dirname(path), "--descriptor_set_out=/dev/null",
                                os.path.basename(path)], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr.strip()
        elif path.endswith(".schema.json"):
            schema = json.load(open(path))
            validator = jsonschema.validators.validator_for(schema)
            validator.check_schema(schema)
            required = schema.get("required", [])
            good = {k: "x" for k in required}
            assert validator(schema).is_valid(good), "refuses a record with its required fields"
            if required:
                assert not validator(schema).is_valid({}), "accepts a record without its key"
        else:
            raise ValueError("unknown kind")
        print(f"ok {path}")
    except Exception as e:  # report every file
        failed = True
        print(f"error {path}: {e}")
sys.exit(1 if failed else 0)
