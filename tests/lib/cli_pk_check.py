#!/usr/bin/python3
"""What tests/cli/cli_pk.sh asks of jwcrypto, an implementation independent of pam_jwt.

  key PRIVATE.jwk SET.json ALG    the private JWK loads, its kid is its RFC 7638
                                  thumbprint, and SET.json holds its public half
                                  (no private member, alg ALG, use "sig")
  verify SET.json TOKEN           TOKEN's signature verifies with the key of its kid
  tamper claims|signature TOKEN   prints a twin: exp + 1 under the same signature,
                                  or one bit of the signature flipped
Exit status 0 when it holds, 1 when not.
"""
import base64
import json
import sys

from jwcrypto import jwk, jws

PRIVATE = {"d", "p", "q", "dp", "dq", "qi", "oth"}


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64e(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def key(priv_path, set_path, alg):
    with open(priv_path, encoding="utf-8") as f:
        d = json.load(f)
    k = jwk.JWK(**d)
    assert k.has_private, "no private key"
    assert d["kid"] == k.thumbprint(), "kid is not the thumbprint"
    assert d["alg"] == alg and d["use"] == "sig", d
    with open(set_path, encoding="utf-8") as f:
        keys = json.load(f)["keys"]
    pub = [p for p in keys if p.get("kid") == d["kid"]]
    assert len(pub) == 1, "the set has %d keys of that kid" % len(pub)
    assert not PRIVATE & set(pub[0]), "the public key has private members"
    assert pub[0]["alg"] == alg and pub[0]["use"] == "sig", pub[0]
    assert jwk.JWK(**pub[0]).thumbprint() == k.thumbprint(), "not the same key"


def verify(set_path, token):
    with open(set_path, encoding="utf-8") as f:
        keys = jwk.JWKSet.from_json(f.read())
    s = jws.JWS()
    s.deserialize(token)
    header = s.jose_header
    s.verify(keys.get_key(header["kid"]), alg=header["alg"])


def tamper(what, token):
    h, p, s = token.split(".")
    if what == "claims":
        claims = json.loads(b64d(p))
        claims["exp"] += 1
        p = b64e(json.dumps(claims, separators=(",", ":")).encode())
    else:
        sig = bytearray(b64d(s))
        sig[len(sig) // 2] ^= 0x01
        s = b64e(bytes(sig))
    print("%s.%s.%s" % (h, p, s))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    try:
        {"key": key, "verify": verify, "tamper": tamper}[cmd](*args[:3 if cmd == "key" else 2])
    except Exception as e:  # any failure of the check is a "no"
        print("%s: %r" % (cmd, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
