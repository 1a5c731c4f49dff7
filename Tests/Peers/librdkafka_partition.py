#!/usr/bin/env python3
"""Produce hex keys to a topic with a librdkafka partitioner and print the partition each
record was delivered to (from the delivery reports), in input order.

usage: librdkafka_partition.py BOOTSTRAP TOPIC PARTITIONER < keys.hex   ('-' = null key)
"""
import sys
from confluent_kafka import Producer

bootstrap, topic, partitioner = sys.argv[1:4]
lines = sys.stdin.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()  # the final newline; an empty line before it is the empty key
keys = [None if l.strip() == "-" else bytes.fromhex(l.strip()) for l in lines]
producer = Producer({
    "bootstrap.servers": bootstrap,
    "partitioner": partitioner,
    "linger.ms": 5,
    "message.timeout.ms": 20000,
    "log_level": 3,
})
result = [None] * len(keys)

def delivered(index):
    def cb(err, msg):
        result[index] = "error" if err else str(msg.partition())
    return cb

for i, key in enumerate(keys):
    while True:
        try:
            producer.produce(topic, key=key, value=b"v", on_delivery=delivered(i))
            break
        except BufferError:
            producer.poll(0.1)
    producer.poll(0)
remaining = producer.flush(30)
if remaining:
    sys.exit(f"{remaining} records not delivered")
print("\n".join(r if r is not None else "missing" for r in result))
