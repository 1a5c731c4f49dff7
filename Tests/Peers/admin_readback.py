#!/usr/bin/env python3
"""Reads a cluster's topics, topic configs and ACLs back with confluent-kafka's AdminClient, independently of
kafka-architect, for the apply tests.

usage: admin_readback.py BOOTSTRAP TOPIC...
  -> {"topics": {name: {"partitions": n, "replicationFactor": rf}}, "configs": {topic: {key: value}},
      "acls": ["Allow User:x Read Topic:t (Literal) from *", ...], "aclError": null | "..."}
Configs are those of the named topics (DescribeConfigs); a topic that does not exist is absent.
"""
import json
import sys

from confluent_kafka.admin import (AclBindingFilter, AclOperation, AclPermissionType, AdminClient, ConfigResource,
                                   ResourcePatternType, ResourceType)

bootstrap, names = sys.argv[1], sys.argv[2:]
a = AdminClient({"bootstrap.servers": bootstrap})
md = a.list_topics(timeout=10)
out = {"topics": {}, "configs": {}, "acls": [], "aclError": None}
for name, t in md.topics.items():
    if name.startswith("__"):
        continue
    rf = min((len(p.replicas) for p in t.partitions.values()), default=0)
    out["topics"][name] = {"partitions": len(t.partitions), "replicationFactor": rf}
for name in names:
    if name not in out["topics"]:
        continue
    fs = a.describe_configs([ConfigResource(ConfigResource.Type.TOPIC, name)], request_timeout=10)
    for _, f in fs.items():
        out["configs"][name] = {k: v.value for k, v in f.result().items()}
try:
    flt = AclBindingFilter(ResourceType.ANY, None, ResourcePatternType.ANY, None, None, AclOperation.ANY,
                           AclPermissionType.ANY)
    for b in a.describe_acls(flt, request_timeout=10).result():
        out["acls"].append(f"{b.permission_type.name.title()} {b.principal} {b.operation.name.title()} "
                           f"{b.restype.name.title()}:{b.name} ({b.resource_pattern_type.name.title()}) from {b.host}")
except Exception as e:  # a broker that cannot describe ACLs is an answer too
    out["aclError"] = str(e)
print(json.dumps(out, sort_keys=True))
