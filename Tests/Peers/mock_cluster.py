#!/usr/bin/env python3
"""Starts librdkafka's mock cluster (via confluent-kafka) with N brokers, creates a topic by
producing to it, prints the bootstrap list and what librdkafka sees as JSON, then stays up.

usage: mock_cluster.py N SECONDS
"""
import json
import sys
import time

from confluent_kafka import Producer

p = Producer({"test.mock.num.brokers": int(sys.argv[1]), "log_level": 0})
p.produce("mock-topic", key=b"k", value=b"v")
p.flush(10)
md = p.list_topics(timeout=10)
bootstrap = ",".join(f"{b.host}:{b.port}" for b in sorted(md.brokers.values(), key=lambda b: b.id))
print(json.dumps({
    "bootstrap": bootstrap,
    "brokers": sorted([{"id": b.id, "host": b.host, "port": b.port} for b in md.brokers.values()], key=lambda b: b["id"]),
    "topics": sorted([{"name": t.topic, "partitions": sorted([{"partition": q.id, "leader": q.leader, "replicas": q.replicas, "isr": q.isrs}
                                                              for q in t.partitions.values()], key=lambda q: q["partition"])}
                      for t in md.topics.values()], key=lambda t: t["name"]),
}, sort_keys=True), flush=True)
time.sleep(float(sys.argv[2]))
