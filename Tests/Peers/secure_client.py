#!/usr/bin/env python3
"""kafka-python (an independent client) lists topics through the TLS/SASL front, proving the peer
speaks Kafka's SASL and TLS the way real clients expect.

usage: secure_client.py BOOTSTRAP PROTOCOL MECHANISM USER PASSWORD CAFILE   (MECHANISM/CAFILE may be '-')
"""
import json
import sys

from kafka import KafkaConsumer

bootstrap, protocol, mechanism, user, password, cafile = sys.argv[1:7]
options = {"bootstrap_servers": bootstrap, "security_protocol": protocol, "request_timeout_ms": 10000}
if mechanism != "-":
    options.update(sasl_mechanism=mechanism, sasl_plain_username=user, sasl_plain_password=password)
if cafile != "-":
    options.update(ssl_cafile=cafile, ssl_check_hostname=True)
consumer = KafkaConsumer(**options)
print(json.dumps({"topics": sorted(consumer.topics())}))
consumer.close()
