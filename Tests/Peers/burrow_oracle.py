#!/usr/bin/env python3
"""Burrow as an oracle for `kafka-architect lag`'s statuses.

usage: burrow_oracle.py MOCK_CLUSTER_BINARY KAFKA_ARCHITECT_BINARY WORKDIR

Starts ZooKeeper (Debian zookeeper), librdkafka's mock cluster and Burrow (Debian burrow) on loopback, then plays
six consumer scenarios, one group and one single-partition topic each, one step per second after a warm-up of
WARMUP records per topic (the lagging ones commit from WARMUP - MARGIN on):
  ok        20 records per step, committed to the log end every step (lag 0)
  slow      20 records per step, commits advance 10 per step (lag grows 10 per step)
  stopped   10 records per step, commits advance 5 per step for 5 steps (lag above 0), then stop
  stalled   20 records once, then the same offset (5) committed every step with no new records
  rewind    10 records per step, commits advance then go back once inside the window
  stopzero  10 records per step, committed to the log end for 5 steps (lag 0), then commits stop
Every commit is made twice with the same offset: normally (confluent-kafka, without subscribing; what our tool
reads with OffsetFetch) and as a record in __consumer_offsets in Kafka's key/value format (what Burrow reads).
During the last steps `kafka-architect lag --window` runs; then Burrow's /lag is read. Prints one JSON object:
{scenario: {"ours": {"group": ..., "partition": ...}, "burrow": {"group": ..., "partition": ...}}}.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.request

from confluent_kafka import Consumer, Producer, TopicPartition

SCENARIOS = ["ok", "slow", "stopped", "stalled", "rewind", "stopzero"]
STEPS = 12
# Burrow computes each commit's lag against log-end offsets it refreshes once a second and clamps a negative lag to
# zero; a zero anywhere in its window makes the partition OK (its rule 1). So every topic first gets WARMUP records,
# Burrow is given time to learn them, and the lagging scenarios commit MARGIN records further behind: their lag stays
# above zero even against log-end offsets several seconds old. (Without this, rewind read OK now and then.)
WARMUP = 100
MARGIN = 50
BASE = WARMUP - MARGIN


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listening on {port}")


def wait_zookeeper(port, seconds=30):
    # Listening is not serving: ask "srvr" until ZooKeeper answers it.
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 1) as s:
                s.sendall(b"srvr")
                if b"Zookeeper version" in s.recv(4096):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"ZooKeeper did not answer on {port}")


def kstring(s):
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def offset_key(group, topic, partition):
    # OffsetCommitKey version 1: group, topic, partition.
    return struct.pack(">h", 1) + kstring(group) + kstring(topic) + struct.pack(">i", partition)


def offset_value(offset, commit_ms):
    # OffsetCommitValue version 1: offset, metadata, commit timestamp, expire timestamp.
    return struct.pack(">hq", 1, offset) + kstring("") + struct.pack(">qq", commit_ms, commit_ms + 86400000)


class Cluster:
    def __init__(self, mock, workdir):
        args = [mock, "--brokers", "1", "--topic", "__consumer_offsets:1:1"]
        for s in SCENARIOS:
            args += ["--topic", f"lag-{s}:1:1"]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.bootstrap = json.loads(self.proc.stdout.readline())["bootstrap"]
        self.producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 0, "batch.num.messages": 1})
        self.consumers = {}
        self.ends = {s: 0 for s in SCENARIOS}

    def produce(self, scenario, n):
        for i in range(n):
            self.producer.produce(f"lag-{scenario}", value=b"x", partition=0, timestamp=int(time.time() * 1000))
        self.producer.flush(10)
        self.ends[scenario] += n

    def commit(self, scenario, offset):
        group = f"g-{scenario}"
        c = self.consumers.get(group)
        if c is None:
            c = Consumer({"bootstrap.servers": self.bootstrap, "group.id": group, "enable.auto.commit": False})
            self.consumers[group] = c
        c.commit(offsets=[TopicPartition(f"lag-{scenario}", 0, offset)], asynchronous=False)
        self.producer.produce(
            "__consumer_offsets", key=offset_key(group, f"lag-{scenario}", 0),
            value=offset_value(offset, int(time.time() * 1000)), partition=0)
        self.producer.flush(10)


def step(cluster, k):
    c = cluster
    c.produce("ok", 20)
    c.commit("ok", c.ends["ok"])
    c.produce("slow", 20)
    c.commit("slow", BASE + 10 * (k + 1))
    c.produce("stopped", 10)
    if k < 5:
        c.commit("stopped", BASE + 5 * (k + 1))
    if k == 0:
        c.produce("stalled", 20)
    c.commit("stalled", BASE + 5)
    c.produce("rewind", 10)
    c.commit("rewind", BASE + (8 * (k + 1) if k < 9 else 8 * (k - 5)))
    c.produce("stopzero", 10)
    if k < 5:
        c.commit("stopzero", c.ends["stopzero"])


def main():
    mock, ours, workdir = sys.argv[1:4]
    os.makedirs(workdir, exist_ok=True)
    zk_port, http_port = free_port(), free_port()
    with open(f"{workdir}/zoo.cfg", "w") as f:
        f.write(f"dataDir={workdir}/zk\nclientPort={zk_port}\nclientPortAddress=127.0.0.1\n"
                "admin.enableServer=false\ntickTime=2000\n4lw.commands.whitelist=srvr\n")
    cp = ":".join(["/etc/zookeeper/conf_example", "/usr/share/java/zookeeper.jar", "/usr/share/java/log4j-1.2.jar",
                   "/usr/share/java/slf4j-log4j12.jar"])
    zk = subprocess.Popen(["java", "-cp", cp, "org.apache.zookeeper.server.ZooKeeperServerMain", f"{workdir}/zoo.cfg"],
                          stdout=open(f"{workdir}/zk.log", "w"), stderr=subprocess.STDOUT)
    procs = [zk]
    try:
        wait_zookeeper(zk_port)
        cluster = Cluster(mock, workdir)
        procs.append(cluster.proc)
        servers = json.dumps(cluster.bootstrap.split(","))
        with open(f"{workdir}/burrow.toml", "w") as f:
            f.write(f"""[general]
pidfile="{workdir}/burrow.pid"
[logging]
filename="{workdir}/burrow.log"
level="info"
[zookeeper]
servers=["127.0.0.1:{zk_port}"]
timeout=6
root-path="/burrow"
[client-profile.mock]
client-id="burrow-oracle"
kafka-version="0.10.2"
[cluster.mock]
class-name="kafka"
servers={servers}
client-profile="mock"
topic-refresh=2
offset-refresh=1
[consumer.mock]
class-name="kafka"
cluster="mock"
servers={servers}
client-profile="mock"
offsets-topic="__consumer_offsets"
start-latest=false
[httpserver.default]
address="127.0.0.1:{http_port}"
[storage.default]
class-name="inmemory"
workers=4
intervals=5
expire-group=604800
min-distance=1
[evaluator.default]
class-name="caching"
expire-cache=1
""")
        burrow = subprocess.Popen(["Burrow", "--config-dir", workdir], stdout=open(f"{workdir}/burrow.out", "w"),
                                  stderr=subprocess.STDOUT)
        procs.append(burrow)
        wait_port(http_port)
        for s in SCENARIOS:
            cluster.produce(s, WARMUP)
        time.sleep(3)  # Burrow's topic-refresh is 2 s, its offset-refresh 1 s
        lag = None
        for k in range(STEPS):
            started = time.time()
            step(cluster, k)
            if k == STEPS - 5:
                # Our window spans the last four steps: five readings one second apart.
                lag = subprocess.Popen(
                    [ours, "lag", "--bootstrap", cluster.bootstrap, "--window", "4s", "--readings", "5",
                     "--warn-min-records", "5", "--format", "json", "--timeout", "10s"]
                    + sum([["--group", f"g-{s}"] for s in SCENARIOS], []),
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(max(0, 1 - (time.time() - started)))
        out, err = lag.communicate(timeout=60)
        try:
            report = json.loads(out)
        except ValueError:
            raise SystemExit(f"kafka-architect lag failed ({lag.returncode}): {err}\n{out}")
        time.sleep(1.5)
        result = {}
        for s in SCENARIOS:
            g = next(x for x in report["groups"] if x["groupId"] == f"g-{s}")
            url = f"http://127.0.0.1:{http_port}/v3/kafka/mock/consumer/g-{s}/lag"
            try:
                b = json.load(urllib.request.urlopen(url, timeout=5))["status"]
                burrow_status = {"group": b["status"],
                                 "partition": (b.get("partitions") or [{}])[0].get("status")}
            except Exception as e:  # Burrow not knowing the group is an answer too
                burrow_status = {"group": None, "partition": None, "error": str(e)}
            result[s] = {"ours": {"group": g["status"], "partition": (g["partitions"] or [{}])[0].get("status"),
                                  "rule": g["rule"], "lag": g["totalLag"]},
                         "burrow": burrow_status}
        print(json.dumps(result, indent=1, sort_keys=True))
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
