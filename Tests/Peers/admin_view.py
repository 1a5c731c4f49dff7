#!/usr/bin/env python3
"""What confluent-kafka's AdminClient (librdkafka 2.16) sees of a cluster, for the snapshot cross-check:
cluster id, controller, brokers with racks, topics with partitions, and (with --group G, after committing
--commit TOPIC:PARTITION:OFFSET as that group) the group's committed offsets.

usage: admin_view.py BOOTSTRAP [--group G] [--commit T:P:O ...] [--metadata-only]
"""
import json
import sys

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient
from confluent_kafka import ConsumerGroupTopicPartitions

bootstrap = sys.argv[1]
args = sys.argv[2:]
group = args[args.index("--group") + 1] if "--group" in args else None
commits = [args[i + 1] for i, a in enumerate(args) if a == "--commit"]
admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 3})
out = {}
if group and commits:
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False, "log_level": 3})
    tps = []
    for spec in commits:
        t, p, o = spec.rsplit(":", 2)
        tps.append(TopicPartition(t, int(p), int(o)))
    c.commit(offsets=tps, asynchronous=False)
    c.close()
try:
    if "--metadata-only" in args:  # the mocks do not serve DescribeCluster: do not wait for it
        raise RuntimeError("DescribeCluster skipped (--metadata-only)")
    d = admin.describe_cluster(request_timeout=10).result()
    out["clusterId"] = d.cluster_id
    out["controllerId"] = d.controller.id if d.controller else None
    out["brokers"] = sorted([{"id": n.id, "host": n.host, "port": n.port, "rack": n.rack} for n in d.nodes],
                            key=lambda b: b["id"])
except Exception as e:  # the mocks do not serve DescribeCluster: fall back to metadata
    md = admin.list_topics(timeout=10)
    out["clusterId"] = md.cluster_id
    out["controllerId"] = md.controller_id
    out["brokers"] = sorted([{"id": b.id, "host": b.host, "port": b.port, "rack": None} for b in md.brokers.values()],
                            key=lambda b: b["id"])
    out["describeClusterError"] = str(e)
md = admin.list_topics(timeout=10)
out["topics"] = sorted([{"name": t.topic, "partitions": sorted([{"partition": p.id, "leader": p.leader,
                                                                  "replicas": p.replicas, "isr": p.isrs}
                                                                 for p in t.partitions.values()],
                                                                key=lambda p: p["partition"])}
                        for t in md.topics.values() if not t.topic.startswith("__")], key=lambda t: t["name"])
if group:
    f = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)])
    res = f[group].result()
    out["offsets"] = sorted([{"topic": tp.topic, "partition": tp.partition, "offset": tp.offset}
                             for tp in res.topic_partitions if tp.offset >= 0],
                            key=lambda o: (o["topic"], o["partition"]))
print(json.dumps(out, sort_keys=True))
