#!/usr/bin/python3
"""A fake Redis for the store's deadline: speaks just enough RESP for pam_jwt.

  drip_redis.py PORTFILE DELAY

Listens on 127.0.0.1 (a port of its own, written to PORTFILE once it listens)
and answers what the module sends with replay=redis, directly or through
redis_sentinel= (then it is the sentinel and names itself as the master):
AUTH, MGET, SET, EXISTS, ROLE, WAIT, SENTINEL get-master-addr-by-name. Each
reply goes out one byte at a time, DELAY seconds apart (0: at once), so that
no single read waits long while the whole answer takes as long as you like.
Runs until killed.
"""
import os
import socket
import sys
import threading
import time


def read_command(f):
    """One command (a RESP array of bulk strings), as a list of bytes; None at EOF."""
    line = f.readline()
    if not line:
        return None
    if not line.startswith(b"*"):
        return [w for w in line.split()]
    args = []
    for _ in range(int(line[1:])):
        size = int(f.readline()[1:])
        args.append(f.read(size + 2)[:size])
    return args


def bulk(s):
    return b"$%d\r\n%s\r\n" % (len(s), s)


def reply(args, port):
    name = args[0].upper() if args else b""
    if name in (b"AUTH", b"SET"):
        return b"+OK\r\n"
    if name == b"MGET":
        return b"*%d\r\n" % (len(args) - 1) + b"$-1\r\n" * (len(args) - 1)
    if name == b"EXISTS":
        return b":0\r\n"
    if name == b"WAIT":
        return b":1\r\n"
    if name == b"ROLE":
        return b"*3\r\n" + bulk(b"master") + b":0\r\n*0\r\n"
    if name == b"SENTINEL":
        return b"*2\r\n" + bulk(b"127.0.0.1") + bulk(str(port).encode())
    return b"-ERR unknown command\r\n"


def serve(conn, delay, port):
    try:
        answer(conn, delay, port)
    except OSError:
        pass  # the client gave up (its deadline): nothing to do


def answer(conn, delay, port):
    with conn, conn.makefile("rb") as f:
        while True:
            args = read_command(f)
            if args is None:
                return
            out = reply(args, port)
            if delay == 0:
                conn.sendall(out)
                continue
            for i in range(len(out)):
                conn.sendall(out[i:i + 1])
                time.sleep(delay)


def main():
    portfile, delay = sys.argv[1], float(sys.argv[2])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    port = s.getsockname()[1]
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(portfile + ".tmp", portfile)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, delay, port), daemon=True).start()


if __name__ == "__main__":
    main()
