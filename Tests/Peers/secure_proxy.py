#!/usr/bin/env python3
"""A TLS and SASL front for a plaintext broker (Tansu), so our client's TLS and SASL can be tested
against independent implementations: TLS is Python's ssl module (OpenSSL), SCRAM is the `scramp`
library's server side, PLAIN is compared here. Requests before authentication other than
ApiVersions, SaslHandshake and SaslAuthenticate close the connection, as Kafka does.

usage: secure_proxy.py --listen PORT --upstream HOST:PORT [--cert CERT --key KEY]
                       [--mechanism PLAIN|SCRAM-SHA-256|SCRAM-SHA-512 --user U --password P]
Prints {"port": PORT} when ready. Start the broker advertising this proxy's port.
"""
import argparse
import json
import socket
import ssl
import struct
import sys
import threading

from scramp import ScramException, ScramMechanism


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def read_frame(sock):
    size = struct.unpack(">i", read_exact(sock, 4))[0]
    return read_exact(sock, size)


def send_frame(sock, payload):
    sock.sendall(struct.pack(">i", len(payload)) + payload)


def uvarint(data, i):
    shift = result = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def put_uvarint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def skip_tags(data, i):
    count, i = uvarint(data, i)
    for _ in range(count):
        _, i = uvarint(data, i)
        size, i = uvarint(data, i)
        i += size
    return i


def kstring(s):
    if s is None:
        return struct.pack(">h", -1)
    b = s.encode()
    return struct.pack(">h", len(b)) + b


class Session:
    def __init__(self, client, args):
        self.client = client
        self.args = args
        self.authenticated = args.mechanism is None
        self.scram = None
        self.upstream = None

    def forward(self, frame):
        if self.upstream is None:
            host, port = self.args.upstream.rsplit(":", 1)
            self.upstream = socket.create_connection((host, int(port)))
        send_frame(self.upstream, frame)
        send_frame(self.client, read_frame(self.upstream))

    def handshake(self, corr, version, body):
        (n,) = struct.unpack(">h", body[:2])
        mechanism = body[2:2 + n].decode()
        offered = [self.args.mechanism]
        error = 0 if mechanism == self.args.mechanism else 33  # UNSUPPORTED_SASL_MECHANISM
        payload = struct.pack(">ih", corr, error) + struct.pack(">i", len(offered)) + b"".join(kstring(m) for m in offered)
        send_frame(self.client, payload)
        return error == 0

    def authenticate(self, corr, version, body):
        if version >= 2:  # flexible: request header tags precede the body; compact bytes
            i = skip_tags(body, 0)
            n, i = uvarint(body, i)
            token = body[i:i + n - 1]
        else:
            (n,) = struct.unpack(">i", body[:4])
            token = body[4:4 + n]
        error, message, reply = 0, None, b""
        mech = self.args.mechanism
        if mech == "PLAIN":
            parts = token.split(b"\0")
            if len(parts) == 3 and parts[1].decode() == self.args.user and parts[2].decode() == self.args.password:
                self.authenticated = True
            else:
                error, message = 58, "Authentication failed: Invalid username or password"
        else:
            try:
                if self.scram is None:
                    m = ScramMechanism(mech)
                    info = m.make_auth_info(self.args.password, iteration_count=4096)

                    def lookup(user):
                        if user != self.args.user:
                            raise ScramException("unknown user")
                        return info

                    self.scram = m.make_server(lookup)
                    self.scram.set_client_first(token.decode())
                    reply = self.scram.get_server_first().encode()
                else:
                    self.scram.set_client_final(token.decode())
                    reply = self.scram.get_server_final().encode()
                    self.authenticated = True
            except ScramException:
                error, message = 58, "Authentication failed during authentication due to invalid credentials with SASL mechanism " + mech
        if version >= 2:
            text = message.encode() if message is not None else None
            payload = (struct.pack(">i", corr) + b"\x00" + struct.pack(">h", error)
                       + (put_uvarint(len(text) + 1) + text if text is not None else b"\x00")
                       + put_uvarint(len(reply) + 1) + reply + struct.pack(">q", 0) + b"\x00")
        else:
            payload = struct.pack(">ih", corr, error) + kstring(message) + struct.pack(">i", len(reply)) + reply
            if version >= 1:
                payload += struct.pack(">q", 0)
        send_frame(self.client, payload)
        return error == 0

    def run(self):
        try:
            while True:
                frame = read_frame(self.client)
                api_key, version, corr = struct.unpack(">hhi", frame[:8])
                (client_id_len,) = struct.unpack(">h", frame[8:10])
                body = frame[10 + max(client_id_len, 0):]
                if self.authenticated or api_key == 18:
                    self.forward(frame)
                elif api_key == 17:
                    if not self.handshake(corr, version, body):
                        return
                elif api_key == 36:
                    if version > 2:
                        return
                    if not self.authenticate(corr, version, body):
                        return
                else:
                    return  # Kafka closes a connection that skips authentication
        except (EOFError, ConnectionError, ssl.SSLError, OSError):
            pass
        finally:
            for s in (self.client, self.upstream):
                if s is not None:
                    try:
                        s.close()
                    except OSError:
                        pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", type=int, required=True)
    p.add_argument("--upstream", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--mechanism")
    p.add_argument("--user")
    p.add_argument("--password")
    args = p.parse_args()
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.listen))
    server.listen(64)
    print(json.dumps({"port": server.getsockname()[1]}), flush=True)
    while True:
        conn, _ = server.accept()

        def serve(conn=conn):
            try:
                c = context.wrap_socket(conn, server_side=True) if context else conn
            except (ssl.SSLError, OSError):
                conn.close()
                return
            Session(c, args).run()

        threading.Thread(target=serve, daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
