#!/usr/bin/env python3
"""Reads a whole topic with confluent-kafka (librdkafka) and reports records/s, for the fetch
benchmark beside our client. Timed from assign to the last record (imports and start-up excluded).

usage: bench_consume.py BOOTSTRAP TOPIC PARTITIONS RECORDS RUNS
"""
import json
import statistics
import sys
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition

bootstrap, topic, partitions, wanted, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
seconds = []
for run in range(runs):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"bench-{run}", "enable.auto.commit": False,
                  "enable.partition.eof": True, "fetch.max.bytes": 8 * 1024 * 1024, "max.partition.fetch.bytes": 4 * 1024 * 1024, "fetch.wait.max.ms": int(sys.argv[6]) if len(sys.argv) > 6 else 500,
                  "log_level": 3})
    start = time.perf_counter()
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    count, eof = 0, set()
    deadline = start + 60
    # Short polls: consume() waits its whole timeout for a full batch, which would time the wait, not the fetch.
    while len(eof) < partitions and count < wanted and time.perf_counter() < deadline:
        batch = c.consume(10000, 0.01)
        for m in batch:
            if m.error():
                if m.error().code() == KafkaError._PARTITION_EOF:
                    eof.add(m.partition())
                continue
            count += 1
    seconds.append(time.perf_counter() - start)
    c.close()
m = statistics.median(seconds)
print(json.dumps({"benchmark": "fetch with confluent-kafka (librdkafka)", "records": count, "medianSeconds": m, "recordsPerSecond": count / m}))
