#!/usr/bin/env python3
"""A TCP transfer whose both ends count and hash what passed, for nook's VM scenarios.

  tcp-transfer.py recv PORT            accept one connection, read to its end
  tcp-transfer.py send HOST PORT BYTES send BYTES of pseudo-random data, then close

Each end prints "BYTES SHA256" when the transfer is over: equal lines mean every byte the
sender wrote arrived, in order, unchanged.
"""
import hashlib
import random
import socket
import sys


def recv(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("", port))
    srv.listen(1)
    srv.settimeout(120)
    conn, _ = srv.accept()
    conn.settimeout(120)
    h, n = hashlib.sha256(), 0
    while True:
        b = conn.recv(1 << 16)
        if not b:
            break
        h.update(b)
        n += len(b)
    print(n, h.hexdigest(), flush=True)


def send(host, port, total):
    rnd = random.Random(1234)
    conn = socket.create_connection((host, port), timeout=120)
    h, n = hashlib.sha256(), 0
    while n < total:
        b = rnd.randbytes(min(1 << 16, total - n))
        conn.sendall(b)
        h.update(b)
        n += len(b)
    conn.shutdown(socket.SHUT_WR)
    conn.recv(1)  # the receiver's close: everything was read
    conn.close()
    print(n, h.hexdigest(), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "recv":
        recv(int(sys.argv[2]))
    elif len(sys.argv) == 5 and sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
