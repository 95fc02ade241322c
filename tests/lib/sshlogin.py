#!/usr/bin/python3
"""Logs in to an SSH server with a password read from standard input, through
paramiko rather than OpenSSH's client, whose prompt cuts at 1023 bytes: so the
server's own limits show.

  sshlogin.py PORT USER password|keyboard-interactive COMMAND

Prints COMMAND's output; exits 0 when it ran, 1 when authentication failed.
The host key is not checked (a test server on 127.0.0.1).
"""
import socket
import sys

import paramiko


def main():
    port, user, mode, command = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    secret = sys.stdin.read().rstrip("\n")
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    transport = paramiko.Transport(sock)
    try:
        transport.start_client(timeout=10)
        try:
            if mode == "password":
                transport.auth_password(user, secret, fallback=False)
            else:
                transport.auth_interactive(user, lambda title, text, prompts: [secret] * len(prompts))
        except paramiko.AuthenticationException as e:
            print("authentication failed: %s" % e)
            return 1
        chan = transport.open_session(timeout=10)
        chan.exec_command(command)
        sys.stdout.write(chan.makefile().read().decode())
        return chan.recv_exit_status()
    finally:
        transport.close()


if __name__ == "__main__":
    sys.exit(main())
