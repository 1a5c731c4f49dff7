#!/usr/bin/env python3
"""Reads back what `kafka-architect bench` wrote, with confluent-kafka (librdkafka), for the test to check
independently: each record's partition, key, the sequence number in the value's first 8 bytes, the value's
length, and the due-time header.

usage: bench_readback.py BOOTSTRAP TOPIC PARTITIONS  -> {"records": [[partition, key, seq, valueLength, headerLength], ...]}
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition

bootstrap, topic, partitions = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-readback", "enable.auto.commit": False,
              "enable.partition.eof": True, "log_level": 3})
c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
out, eof = [], set()
deadline = time.time() + 60
while len(eof) < partitions and time.time() < deadline:
    m = c.poll(0.5)
    if m is None:
        continue
    if m.error():
        if m.error().code() == KafkaError._PARTITION_EOF:
            eof.add(m.partition())
            continue
        raise SystemExit(str(m.error()))
    value = m.value() or b""
    headers = dict(m.headers() or [])
    due = headers.get("kafka-architect.bench.due-us")
    out.append([m.partition(), (m.key() or b"").decode(), int.from_bytes(value[:8], "big"), len(value),
                len(due) if due is not None else -1])
c.close()
print(json.dumps({"records": out}))
