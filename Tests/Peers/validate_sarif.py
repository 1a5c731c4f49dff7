#!/usr/bin/env python3
"""Validates a SARIF log against the OASIS SARIF 2.1.0 JSON schema.

usage: validate_sarif.py SCHEMA LOG   → prints "valid" or the first error, exit 0/1
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
try:
    jsonschema.validators.validator_for(schema)(schema).validate(log)
except jsonschema.ValidationError as e:
    print(f"invalid: {e.message} at {list(e.absolute_path)}")
    sys.exit(1)
print("valid")
