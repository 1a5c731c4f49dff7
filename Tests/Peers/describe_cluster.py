#!/usr/bin/env python3
"""What confluent-kafka (librdkafka) sees of a cluster, as JSON: brokers and topics with partitions.

usage: describe_cluster.py BOOTSTRAP
"""
import json
import sys

from confluent_kafka.admin import AdminClient

md = AdminClient({"bootstrap.servers": sys.argv[1], "log_level": 3}).list_topics(timeout=10)
print(json.dumps({
    "controllerId": md.controller_id,
    "brokers": sorted([{"id": b.id, "host": b.host, "port": b.port} for b in md.brokers.values()], key=lambda b: b["id"]),
    "topics": sorted([{"name": t.topic, "partitions": sorted([{"partition": p.id, "leader": p.leader, "replicas": p.replicas, "isr": p.isrs}
                                                              for p in t.partitions.values()], key=lambda p: p["partition"])}
                      for t in md.topics.values() if not t.topic.startswith("__")], key=lambda t: t["name"]),
}, sort_keys=True))
