#!/usr/bin/env python3
"""Sets up consumer-lag scenarios with confluent-kafka (an independent client), for the lag tests.

  lag_setup.py produce BOOTSTRAP TOPIC PARTITIONS N T0_MS   N records per partition, one per batch; record i has
                                                            timestamp T0_MS - (N - i) * 1000
  lag_setup.py commit BOOTSTRAP GROUP TOPIC P:O[,P:O...]    commit offsets without subscribing
  lag_setup.py committed BOOTSTRAP GROUP TOPIC PARTITIONS   print {partition: committed offset or null} as JSON
  lag_setup.py member BOOTSTRAP GROUP TOPIC SECONDS         join GROUP subscribed to TOPIC, commit offset 1 on its
                                                            partitions, print "joined", stay SECONDS, leave
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition


def main():
    cmd, bootstrap = sys.argv[1], sys.argv[2]
    if cmd == "produce":
        topic, partitions, n, t0 = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 0, "batch.num.messages": 1})
        for part in range(partitions):
            for i in range(n):
                p.produce(topic, value=b"v%d" % i, partition=part, timestamp=t0 - (n - i) * 1000)
                p.flush(10)
        print("ok")
    elif cmd == "commit":
        group, topic, spec = sys.argv[3], sys.argv[4], sys.argv[5]
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
        offsets = [TopicPartition(topic, int(p), int(o)) for p, o in (x.split(":") for x in spec.split(","))]
        c.commit(offsets=offsets, asynchronous=False)
        c.close()
        print("ok")
    elif cmd == "committed":
        group, topic, partitions = sys.argv[3], sys.argv[4], int(sys.argv[5])
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
        got = c.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=10)
        print(json.dumps({str(tp.partition): (tp.offset if tp.offset >= 0 else None) for tp in got}))
        c.close()
    elif cmd == "member":
        group, topic, seconds = sys.argv[3], sys.argv[4], float(sys.argv[5])
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                      "auto.offset.reset": "earliest", "client.id": "lag-test-member",
                      "session.timeout.ms": 6000})
        joined = []

        def on_assign(consumer, partitions):
            joined.extend(partitions)

        c.subscribe([topic], on_assign=on_assign)
        deadline = time.time() + seconds
        announced = False
        while time.time() < deadline:
            c.poll(0.2)
            if joined and not announced:
                # Commit offset 1 on what it holds: Tansu lists only groups with committed offsets.
                c.commit(offsets=[TopicPartition(tp.topic, tp.partition, 1) for tp in joined], asynchronous=False)
                print("joined", flush=True)
                announced = True
        c.close()
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
