#!/usr/bin/env python3
"""confluent-kafka (Python) beside `bench` in scripts/bench-load: the same workload as Tests/Peers/rdkafka_bench.c.

  confluent_bench.py produce BOOTSTRAP TOPIC RECORDS VALUE_SIZE CODEC
  confluent_bench.py consume BOOTSTRAP TOPIC PARTITIONS RECORDS

Values: a pool of 1,024 distinct values, each half pattern, half random (as bench's compressibility 0.5), the
record's number in the first 8 bytes. acks=all, idempotence, linger.ms 5, librdkafka's batch.size. Prints one
JSON line like rdkafka_bench.
"""
import json
import random
import struct
import sys
import time

import confluent_kafka


def produce(bootstrap, topic, n, size, codec):
    p = confluent_kafka.Producer({
        "bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True, "compression.type": codec,
        "linger.ms": 5, "log_level": 3,
    })
    rnd = random.Random(1)
    pool = [bytes(ord("a") + i % 16 for i in range(size // 2)) + rnd.randbytes(size - size // 2) for _ in range(1024)]
    p.list_topics(topic, timeout=10)
    # The idempotent producer's id before the clock starts, as bench and rdkafka_bench: one uncounted record.
    p.produce(topic, pool[0])
    p.flush(10)
    state = {"acked": 0, "failed": 0, "last": 0.0}

    def done(err, _msg):
        if err is None:
            state["acked"] += 1
        else:
            state["failed"] += 1
        state["last"] = time.monotonic()

    start = time.monotonic()
    for i in range(n):
        value = struct.pack(">Q", i) + pool[i % 1024][8:]
        while True:
            try:
                p.produce(topic, value, on_delivery=done)
                break
            except BufferError:
                p.poll(0.001)
        if i % 1000 == 0:
            p.poll(0)
    p.flush(120)
    seconds = state["last"] - start
    print(json.dumps({"tool": "confluent-kafka " + confluent_kafka.__version__ + " (Python)", "mode": "produce",
                      "records": state["acked"], "failed": state["failed"], "seconds": round(seconds, 4),
                      "recordsPerSecond": round(state["acked"] / seconds, 1)}))
    return 1 if state["failed"] else 0


def consume(bootstrap, topic, partitions, n):
    c = confluent_kafka.Consumer({
        "bootstrap.servers": bootstrap, "group.id": "confluent-bench", "enable.auto.commit": False,
        "enable.partition.eof": True, "log_level": 3,
    })
    # The clock starts before connecting and the offset lookup, as bench's and rdkafka_bench.c's do.
    start = time.monotonic()
    last = start
    c.list_topics(topic, timeout=10)
    c.assign([confluent_kafka.TopicPartition(topic, p, confluent_kafka.OFFSET_BEGINNING) for p in range(partitions)])
    got = eof = 0
    while got < n and eof < partitions and time.monotonic() - start < 120:
        for m in c.consume(10000, 0.01):
            if m.error() is None:
                got += 1
                last = time.monotonic()
            elif m.error().code() == confluent_kafka.KafkaError._PARTITION_EOF:
                eof += 1
    seconds = last - start
    print(json.dumps({"tool": "confluent-kafka " + confluent_kafka.__version__ + " (Python)", "mode": "consume",
                      "records": got, "seconds": round(seconds, 4), "recordsPerSecond": round(got / seconds, 1)}))
    c.close()
    return 0


if __name__ == "__main__":
    a = sys.argv
    if a[1] == "produce":
        sys.exit(produce(a[2], a[3], int(a[4]), int(a[5]), a[6]))
    sys.exit(consume(a[2], a[3], int(a[4]), int(a[5])))
