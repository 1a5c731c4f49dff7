#!/usr/bin/env python3
"""Runs a script against a stand-in Schema Registry (two endpoints of Confluent's REST API: PUT
/config/{subject} and POST /subjects/{subject}/versions) and prints what it received as JSON:
{"status": exit code, "stderr": ..., "requests": [{"method", "path", "body", "authorization"}]}.
Written for the tests (no registry is among the peers); it checks request shapes, not compatibility.

usage: run_with_stub_registry.py SCRIPT   (SCHEMA_REGISTRY_AUTH is passed through when set)
"""
import base64
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

requests = []


class Handler(BaseHTTPRequestHandler):
    def handle_any(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        auth = self.headers.get("Authorization")
        if auth and auth.startswith("Basic "):
            auth = base64.b64decode(auth[6:]).decode("utf-8")
        requests.append({"method": self.command, "path": self.path, "body": body, "authorization": auth,
                         "contentType": self.headers.get("Content-Type")})
        try:
            parsed = json.loads(body)
        except ValueError:
            self.send_response(422)
            self.end_headers()
            return
        if self.command == "PUT" and self.path.startswith("/config/"):
            reply = {"compatibility": parsed.get("compatibility")}
        elif self.command == "POST" and self.path.startswith("/subjects/") and self.path.endswith("/versions"):
            reply = {"id": len(requests)}
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_PUT = handle_any
    do_POST = handle_any

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
env = dict(os.environ, SCHEMA_REGISTRY_URL=f"http://127.0.0.1:{server.server_port}/")
r = subprocess.run(["bash", sys.argv[1]], env=env, capture_output=True, text=True, timeout=60)
server.shutdown()
print(json.dumps({"status": r.returncode, "stderr": r.stderr, "requests": requests}))
