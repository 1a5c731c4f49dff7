#!/usr/bin/env python3
"""Compressed records through librdkafka (confluent-kafka), to check our codecs both ways.

usage: compressed_io.py produce BOOTSTRAP TOPIC CODEC COUNT   -> {"delivered": N}
       compressed_io.py consume BOOTSTRAP TOPIC PARTITIONS    -> {"count": N, "keys": [...], "values": [...]}
"""
import json
import sys

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

mode, bootstrap, topic = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "produce":
    codec, count = sys.argv[4], int(sys.argv[5])
    p = Producer({"bootstrap.servers": bootstrap, "compression.type": codec, "partitioner": "murmur2_random",
                  "linger.ms": 50, "batch.num.messages": 10000, "log_level": 3})
    delivered = []
    for i in range(count):
        p.produce(topic, key=f"user-{i % 97}".encode(), value=("{\"n\": %d, \"pad\": \"%s\"}" % (i, "x" * 40)).encode(),
                  on_delivery=lambda err, msg: delivered.append(err is None))
        p.poll(0)
    if p.flush(30):
        sys.exit("not delivered")
    print(json.dumps({"delivered": sum(delivered)}))
else:
    partitions = int(sys.argv[4])
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "compressed-io", "enable.auto.commit": False,
                  "enable.partition.eof": True, "log_level": 3})
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    keys, values, eof = [], [], set()
    while len(eof) < partitions:
        m = c.poll(10)
        if m is None:
            sys.exit("timed out")
        if m.error():
            if m.error().code() == KafkaError._PARTITION_EOF:
                eof.add(m.partition())
                continue
            sys.exit(str(m.error()))
        keys.append(m.key().decode() if m.key() is not None else None)
        values.append(m.value().decode() if m.value() is not None else None)
    c.close()
    print(json.dumps({"count": len(keys), "keys": keys, "values": values}))
