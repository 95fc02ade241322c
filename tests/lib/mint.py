#!/usr/bin/python3
"""Mints test tokens with implementations independent of pam_jwt.

By default PyJWT (Debian's python3-jwt) signs the claims. With --raw, the
header and payload are taken verbatim as JSON text and signed with Python's
hmac module, for tokens PyJWT refuses to make (odd headers, malformed claims).

  mint.py --key FILE [--alg HS256] [--ttl 60] [--sub alice] [--set name=json ...]
          [--unset name ...] [--header-json JSON] [--payload-json JSON --raw]
          [--length N]

--length N pads the token to exactly N characters: a "pad" claim, and a "kid"
in the header for the lengths the payload alone cannot reach.
"""
import argparse
import base64
import hashlib
import hmac
import json
import sys
import time

import jwt

HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(key, alg, header, payload):
    signing_input = b64url(header.encode()) + "." + b64url(payload.encode())
    digest = HASHES.get(alg, hashlib.sha256)
    sig = hmac.new(key, signing_input.encode(), digest).digest()
    return signing_input + "." + b64url(sig)


def padded_token(claims, key, alg, length):
    # base64url cannot make every length from the payload alone; a kid of
    # 0 to 3 characters in the header shifts the length by one step.
    for kid in [None, "", "k", "kk", "kkk"]:
        headers = None if kid is None else {"kid": kid}
        base = len(jwt.encode(dict(claims, pad=""), key, algorithm=alg, headers=headers))
        for pad in range(max(0, (length - base) * 3 // 4 - 4), length):
            token = jwt.encode(dict(claims, pad="p" * pad), key, algorithm=alg, headers=headers)
            if len(token) >= length:
                break
        if len(token) == length:
            return token
    sys.exit("cannot make a token of %d characters" % length)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--key", required=True, help="file holding the HMAC key")
    p.add_argument("--alg", default="HS256")
    p.add_argument("--sub", default="alice")
    p.add_argument("--ttl", type=int, default=60, help="exp = now + ttl")
    p.add_argument("--set", action="append", default=[], metavar="NAME=JSON")
    p.add_argument("--unset", action="append", default=[], metavar="NAME")
    p.add_argument("--header-json", help="header as JSON text (with --raw)")
    p.add_argument("--payload-json", help="payload as JSON text (with --raw)")
    p.add_argument("--raw", action="store_true")
    p.add_argument("--length", type=int, help="pad the token to exactly N characters")
    a = p.parse_args()

    with open(a.key, "rb") as f:
        key = f.read()
    if key.endswith(b"\r\n"):
        key = key[:-2]
    elif key.endswith(b"\n"):
        key = key[:-1]

    now = int(time.time())
    claims = {"sub": a.sub, "iat": now, "exp": now + a.ttl}
    for item in a.set:
        name, _, value = item.partition("=")
        claims[name] = json.loads(value)
    for name in a.unset:
        claims.pop(name, None)

    if a.length:
        print(padded_token(claims, key, a.alg, a.length))
    elif a.raw:
        header = a.header_json or json.dumps({"alg": a.alg, "typ": "JWT"})
        payload = a.payload_json or json.dumps(claims)
        print(raw_token(key, a.alg, header, payload))
    else:
        print(jwt.encode(claims, key, algorithm=a.alg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
