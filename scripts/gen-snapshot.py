#!/usr/bin/env python3
"""Writes a synthetic cluster snapshot (docs/snapshot.md) for the audit benchmark: by default 120 brokers in
3 racks, 5,000 topics, 200,000 partitions at RF 3, 10,000 consumer groups, 2,000 ACLs. Deterministic (seeded).
Some partitions are under-replicated, some brokers hold more, so the audit has findings to write.

usage: python3 scripts/gen-snapshot.py OUT.json [--brokers N] [--topics N] [--partitions-per-topic N] [--groups N]
"""
import json
import random
import sys


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


out = sys.argv[1]
brokers, topics, per_topic, groups = arg("--brokers", 120), arg("--topics", 5000), arg("--partitions-per-topic", 40), arg("--groups", 10000)
rnd = random.Random(15)
racks = ["a", "b", "c"]
doc = {
    "schemaVersion": 1, "takenAt": "2026-12-01T12:00:00Z", "takenAtMs": 1796126400000,
    "clusterId": "synthetic", "controllerId": 1,
    "brokers": [{"id": b, "host": f"kafka-{b}.example", "port": 9092, "rack": racks[b % 3]} for b in range(1, brokers + 1)],
    "brokerConfigs": {},
    "topics": [], "logDirs": [], "groups": [], "acls": [], "quotas": [], "transactions": [],
    "unsupported": [], "complete": True, "missing": [],
}
static = {"min.insync.replicas": "2", "default.replication.factor": "3", "num.partitions": "6",
          "log.retention.hours": "168", "unclean.leader.election.enable": "false", "auto.create.topics.enable": "false",
          "num.network.threads": "8", "num.io.threads": "16", "log.segment.bytes": "1073741824",
          "offsets.topic.replication.factor": "3", "transaction.state.log.replication.factor": "3",
          "transaction.state.log.min.isr": "2", "broker.rack": "a", "listeners": "SASL_SSL://:9093",
          "sasl.enabled.mechanisms": "SCRAM-SHA-512", "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
          "allow.everyone.if.no.acl.found": "false", "replica.lag.time.max.ms": "30000"}
for b in range(1, brokers + 1):
    cfg = {k: {"value": v, "source": "static"} for k, v in static.items()}
    cfg["broker.rack"] = {"value": racks[b % 3], "source": "static"}
    cfg["log.flush.interval.messages"] = {"value": "9223372036854775807", "source": "default"}
    cfg["ssl.keystore.password"] = {"value": None, "source": "static", "sensitive": True}
    doc["brokerConfigs"][str(b)] = cfg
sizes = {b: 0 for b in range(1, brokers + 1)}
for t in range(topics):
    name = f"domain{t % 50}.entity{t}.v1"
    parts = []
    for p in range(per_topic):
        # Rack-aware: one broker per rack, starting at a rotating offset; a few partitions skew onto broker 1.
        first = (t * per_topic + p) % brokers + 1
        replicas = [first, (first + 41 - 1) % brokers + 1, (first + 82 - 1) % brokers + 1]
        if rnd.random() < 0.002:
            replicas[0] = 1
        replicas = list(dict.fromkeys(replicas))
        isr = replicas if rnd.random() > 0.001 else replicas[:2]
        size = rnd.randint(10_000_000, 2_000_000_000)
        for r in replicas:
            sizes[r] += size
        end = rnd.randint(0, 50_000_000)
        parts.append({"partition": p, "leader": replicas[0], "replicas": replicas, "isr": isr, "offlineReplicas": [],
                      "logStartOffset": end // 2, "logEndOffset": end, "sizeBytes": size})
    configs = {"min.insync.replicas": {"value": "2", "source": "static"},
               "retention.ms": {"value": str(rnd.choice([86400000, 604800000, 2592000000])), "source": "topic"},
               "cleanup.policy": {"value": rnd.choice(["delete", "delete", "compact"]), "source": "topic"},
               "compression.type": {"value": "producer", "source": "default"}}
    doc["topics"].append({"name": name, "internal": False, "configs": configs, "partitions": parts})
for b in range(1, brokers + 1):
    doc["logDirs"].append({"broker": b, "path": "/var/lib/kafka/data", "totalBytes": 16 * 1024 ** 4,
                           "usableBytes": max(0, 16 * 1024 ** 4 - sizes[b]), "partitionBytes": sizes[b], "error": None})
for g in range(groups):
    topic = doc["topics"][g % topics]
    members = [] if g % 20 == 0 else [{"memberId": f"consumer-{g}-{m}", "clientId": f"svc-{g}", "host": f"/10.1.{g % 250}.{m}",
                                        "assignment": [{"topic": topic["name"], "partitions": list(range(m, per_topic, 2))}]}
                                       for m in range(2)]
    doc["groups"].append({"groupId": f"svc-{g}", "state": "Empty" if not members else "Stable", "protocolType": "consumer",
                          "members": members,
                          "offsets": [{"topic": topic["name"], "partition": p["partition"], "offset": p["logEndOffset"] - rnd.randint(0, 1000)}
                                      for p in topic["partitions"]]})
for a in range(2000):
    doc["acls"].append({"resourceType": "Topic", "resourceName": doc["topics"][a]["name"], "patternType": "Literal",
                        "principal": f"User:svc-{a}", "host": "*", "operation": rnd.choice(["Read", "Write", "Describe"]),
                        "permission": "Allow"})
with open(out + ".tmp", "w") as f:
    json.dump(doc, f, separators=(",", ":"))
import os
os.replace(out + ".tmp", out)
print(f"wrote {out}: {brokers} brokers, {topics} topics, {topics * per_topic} partitions, {groups} groups")
