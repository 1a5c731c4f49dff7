#!/usr/bin/env python3
"""Produces keyed records with a librdkafka partitioner and prints where each went, as JSON lines.

usage: produce_keys.py BOOTSTRAP TOPIC PARTITIONER COUNT [SEED]
"""
import json
import random
import sys

from confluent_kafka import Producer

bootstrap, topic, partitioner, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
p = Producer({"bootstrap.servers": bootstrap, "partitioner": partitioner, "linger.ms": 5, "log_level": 3})
placed = []
for i in range(count):
    key = f"user-{rng.randint(0, 100000)}".encode()
    p.produce(topic, key=key, value=b"x", on_delivery=lambda err, msg: placed.append((msg.key().decode(), msg.partition(), err is None)))
    p.poll(0)
if p.flush(30):
    sys.exit("not delivered")
print(json.dumps({"delivered": sum(1 for _, _, ok in placed if ok)}))
