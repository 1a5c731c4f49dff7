#!/usr/bin/env python3
"""Captures the first request a real client sends (its ApiVersions), as golden bytes: a one-shot
TCP listener takes the frame and closes; the client is confluent-kafka (librdkafka) or kafka-python.

usage: capture_request.py confluent|kafka-python   -> {"client": ..., "frame": "<hex of the request without its size>"}
"""
import json
import socket
import struct
import sys
import threading
import time

which = sys.argv[1]
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(1)
port = server.getsockname()[1]
captured = {}


def accept():
    conn, _ = server.accept()
    size = struct.unpack(">i", conn.recv(4, socket.MSG_WAITALL))[0]
    captured["frame"] = conn.recv(size, socket.MSG_WAITALL)
    conn.close()


t = threading.Thread(target=accept, daemon=True)
t.start()
if which == "confluent":
    from confluent_kafka import Producer
    p = Producer({"bootstrap.servers": f"127.0.0.1:{port}", "client.id": "golden-client", "log_level": 0})
    p.poll(0.5)
else:
    from kafka import KafkaConsumer

    def connect():
        try:
            KafkaConsumer(bootstrap_servers=f"127.0.0.1:{port}", client_id="golden-client", request_timeout_ms=2000)
        except Exception:
            pass

    threading.Thread(target=connect, daemon=True).start()
t.join(5)
print(json.dumps({"client": which, "frame": captured.get("frame", b"").hex()}))
