#!/usr/bin/env python3
"""Partitions of hex keys under the Java client's default partitioner, via kafka-python.

usage: java_murmur2.py N [N ...] < keys.hex   → one line per key: the partition for each N
"""
import sys
from kafka.partitioner.default import murmur2

counts = [int(n) for n in sys.argv[1:]]
out = []
lines = sys.stdin.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
for line in lines:
    key = bytes.fromhex(line.strip())
    h = murmur2(key) & 0x7FFFFFFF  # toPositive
    out.append(" ".join(str(h % n) for n in counts))
print("\n".join(out))
