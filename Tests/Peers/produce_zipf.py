#!/usr/bin/env python3
"""Produces COUNT records with Zipf-distributed keys (exponent S over DISTINCT keys) through librdkafka
(confluent-kafka), one record per batch so a Tansu broker's high watermark stays exact, and prints the
truth as JSON: records delivered per partition and per key.

usage: produce_zipf.py BOOTSTRAP TOPIC PARTITIONER COUNT SEED [S] [DISTINCT]
"""
import json
import random
import sys

from confluent_kafka import Producer

bootstrap, topic, partitioner, count, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
s = float(sys.argv[6]) if len(sys.argv) > 6 else 1.1
distinct = int(sys.argv[7]) if len(sys.argv) > 7 else 500
rng = random.Random(seed)
weights = [1 / (rank ** s) for rank in range(1, distinct + 1)]
keys = [f"user-{rank}" for rank in range(1, distinct + 1)]
p = Producer({
    "bootstrap.servers": bootstrap, "partitioner": partitioner, "linger.ms": 0, "batch.num.messages": 1,
    "log_level": 3,
})
per_partition, per_key, failed = {}, {}, []


def delivered(err, msg):
    if err is not None:
        failed.append(str(err))
        return
    per_partition[msg.partition()] = per_partition.get(msg.partition(), 0) + 1
    k = msg.key().decode()
    per_key[k] = per_key.get(k, 0) + 1


for key in rng.choices(keys, weights=weights, k=count):
    p.produce(topic, key=key.encode(), value=b"v", on_delivery=delivered)
    p.poll(0)
if p.flush(60) or failed:
    sys.exit(f"not delivered: {failed[:3]}")
print(json.dumps({"partitions": {str(k): v for k, v in per_partition.items()}, "keys": per_key}))
