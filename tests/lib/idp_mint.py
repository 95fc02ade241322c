#!/usr/bin/python3
"""RS256 tokens shaped like an identity provider's, from libraries independent
of pam_jwt (PyJWT and jwcrypto), padded to an exact length with claims such
providers really send (groups, roles, scopes), for the long-token tests.

  idp_mint.py keys DIR
      RSA keys of 2048 and 4096 bits (DIR/rsa2048.pem, DIR/rsa4096.pem) and
      their public JWK Set DIR/jwks.json, each key under a few kids
  idp_mint.py token DIR --shape keycloak|entra|google --lib pyjwt|jwcrypto
                  --bits 2048|4096 --sub USER [--aud AUD] [--ttl 300] [--length N]
      prints a token; --length N pads it to exactly N characters
"""
import argparse
import base64
import json
import sys
import time
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

# base64url steps over some lengths; the same key under kids one to three
# characters longer lets the header make up the difference.
KID_SUFFIXES = ["", "a", "ab", "abc"]
SIG_LEN = {2048: 342, 4096: 683}
KIDS = {2048: "kc-Qm9vdHN0cmFwLTIwNDgtcnNhLXNpZw", 4096: "entra-nOo3ZDrODXEK1jKWhXslHR_KXEg"}


def keys(a):
    from jwcrypto import jwk
    out = []
    for bits in (2048, 4096):
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        with open("%s/rsa%d.pem" % (a.dir, bits), "wb") as f:
            f.write(pem)
        pub = json.loads(jwk.JWK.from_pem(pem).export_public())
        for s in KID_SUFFIXES:
            out.append(dict(pub, kid=KIDS[bits] + s, use="sig", alg="RS256"))
    with open("%s/jwks.json" % a.dir, "w") as f:
        json.dump({"keys": out}, f)


def claims_for(shape, sub, aud, now, ttl):
    sid = str(uuid.uuid4())
    if shape == "keycloak":
        return {
            "exp": now + ttl, "iat": now, "auth_time": now, "jti": str(uuid.uuid4()),
            "iss": "https://sso.example.com/realms/corp", "aud": [aud, "account"], "sub": sub,
            "typ": "Bearer", "azp": "ssh-login", "session_state": sid, "acr": "1",
            "allowed-origins": ["https://ssh.example.com"],
            "realm_access": {"roles": ["offline_access", "uma_authorization", "default-roles-corp"]},
            "resource_access": {"account": {"roles": ["manage-account", "view-profile"]}},
            "scope": "openid email profile", "sid": sid, "email_verified": True,
            "name": "Alice Example", "preferred_username": sub, "given_name": "Alice",
            "family_name": "Example", "email": "alice@example.com", "groups": [],
        }, "groups"
    if shape == "entra":
        tid = str(uuid.uuid4())
        return {
            "aud": aud, "iss": "https://login.microsoftonline.com/%s/v2.0" % tid, "iat": now,
            "nbf": now, "exp": now + ttl, "aio": "AWQAm/8TAAAA" + uuid.uuid4().hex * 2,
            "azp": str(uuid.uuid4()), "azpacr": "0", "name": "Alice Example",
            "oid": str(uuid.uuid4()), "preferred_username": "alice@contoso.onmicrosoft.com",
            "rh": "0.AXEA" + uuid.uuid4().hex + "AAA.", "scp": "User.Read openid profile email",
            "sub": sub, "tid": tid, "uti": uuid.uuid4().hex[:22], "ver": "2.0",
            "wids": ["b79fbf4d-3ef9-4689-8143-76b194e85509"], "roles": [], "groups": [],
        }, "groups"
    return {
        "iss": "https://accounts.google.com", "azp": "1234987819200.apps.googleusercontent.com",
        "aud": aud, "sub": sub, "hd": "example.com", "email": "alice@example.com",
        "email_verified": True, "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q", "nonce": "",
        "name": "Alice Example", "picture": "https://lh3.googleusercontent.com/a/ACg8ocJ-example=s96-c",
        "given_name": "Alice", "family_name": "Example", "iat": now,
        "exp": now + ttl, "groups": [],
    }, "groups"


def signer(lib, bits, d):
    with open("%s/rsa%d.pem" % (d, bits), "rb") as f:
        pem = f.read()
    if lib == "pyjwt":
        import jwt

        def sign(claims, kid):
            return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid, "typ": "JWT"})
        return sign
    from jwcrypto import jwk, jwt as jjwt
    key = jwk.JWK.from_pem(pem)

    def sign(claims, kid):
        t = jjwt.JWT(header={"alg": "RS256", "typ": "JWT", "kid": kid}, claims=claims)
        t.make_signed_token(key)
        return t.serialize()
    return sign


def token(a):
    now = int(time.time())
    claims, fill = claims_for(a.shape, a.sub, a.aud, now, a.ttl)
    sign = signer(a.lib, a.bits, a.dir)
    kid = KIDS[a.bits]
    if not a.length:
        return sign(claims, kid)
    # Both libraries write compact JSON: the length is known before signing.
    def length(c, k):
        enc = lambda o: len(base64.urlsafe_b64encode(
            json.dumps(o, separators=(",", ":")).encode()).rstrip(b"="))
        return enc({"alg": "RS256", "typ": "JWT", "kid": k}) + enc(c) + 2 + SIG_LEN[a.bits]

    while length(claims, kid) < a.length - 120:
        n = max(1, (a.length - 120 - length(claims, kid)) // 52)
        claims[fill].extend(str(uuid.uuid4()) for _ in range(n))
    for s in KID_SUFFIXES:
        for pad in range(0, 240):
            if length(dict(claims, ctx="x" * pad), kid + s) >= a.length:
                break
        if length(dict(claims, ctx="x" * pad), kid + s) == a.length:
            t = sign(dict(claims, ctx="x" * pad), kid + s)
            if len(t) != a.length:
                sys.exit("the library wrote %d characters, not %d" % (len(t), a.length))
            return t
    sys.exit("cannot make a token of %d characters" % a.length)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    k = sub.add_parser("keys")
    k.add_argument("dir")
    t = sub.add_parser("token")
    t.add_argument("dir")
    t.add_argument("--shape", choices=["keycloak", "entra", "google"], default="keycloak")
    t.add_argument("--lib", choices=["pyjwt", "jwcrypto"], default="pyjwt")
    t.add_argument("--bits", type=int, choices=[2048, 4096], default=2048)
    t.add_argument("--sub", required=True)
    t.add_argument("--aud", default="ssh")
    t.add_argument("--ttl", type=int, default=300)
    t.add_argument("--length", type=int)
    a = p.parse_args()
    if a.cmd == "keys":
        keys(a)
    else:
        print(token(a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
