#!/usr/bin/env python3
"""Loads a rendered librdkafka properties file into confluent-kafka (librdkafka 2.16), which checks
every property name and value when the client is created, and prints what it loaded as JSON.

usage: load_librdkafka_conf.py FILE producer|consumer [CA_FILE]

CA_FILE stands in for the CA certificate the deployment mounts at the file's ssl.ca.location
(librdkafka reads it when the client is created).
"""
import json
import sys

from confluent_kafka import Consumer, KafkaException, Producer

path, role = sys.argv[1], sys.argv[2]
conf = {}
for line in open(path, encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    key, _, value = line.partition("=")
    conf[key] = value
if len(sys.argv) > 3 and "ssl.ca.location" in conf:
    conf["ssl.ca.location"] = sys.argv[3]
if conf.get("security.protocol", "").startswith("SASL"):
    conf["sasl.password"] = "set-in-code"  # the file says to set it in code, never in the file
try:
    client = Producer(conf) if role == "producer" else Consumer(conf)
except KafkaException as e:
    print(json.dumps({"ok": False, "error": str(e)}))
    sys.exit(1)
if role == "consumer":
    client.close()
print(json.dumps({"ok": True, "transactional.id": conf.get("transactional.id"), "keys": sorted(conf)}))
