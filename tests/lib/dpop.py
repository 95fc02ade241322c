#!/usr/bin/python3
"""DPoP (RFC 9449) proofs, keys and thumbprints made with Debian's jwcrypto, independent of pam_jwt.

  dpop.py genkey FILE [ES256|ES384|ES512|EdDSA|RS256|PS256|HS256]   a private JWK (mode 0600)
  dpop.py thumb FILE                        RFC 7638 SHA-256 thumbprint
  dpop.py proof FILE --htu URL [--htm POST] [--nonce N] [--ath TOKEN]
                [--iat-offset S] [--jti J] [--typ T] [--alg A|none]
                [--private-jwk] [--no-jwk] [--jwk-extras]   a DPoP proof, compact
  dpop.py verify JWT JWKS                   jwcrypto verifies JWT with the set
  dpop.py decode JWT                        {"header":..., "claims":...}
  dpop.py check JWT --htu URL --htm M --nonce N [--ath TOKEN] [--alg A]
                                            checks a proof as RFC 9449 §4.3 says (signature
                                            by its header jwk, typ, claims); prints its
                                            key's thumbprint, or exits 1 with the reason
"""
import argparse
import base64
import hashlib
import json
import os
import sys
import time
import uuid

from jwcrypto import jwk, jws


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def load(path):
    with open(path) as f:
        return jwk.JWK.from_json(f.read())


def genkey(path, alg):
    if alg in ("ES256", "ES384", "ES512"):
        k = jwk.JWK.generate(kty="EC", crv={"ES256": "P-256", "ES384": "P-384",
                                            "ES512": "P-521"}[alg])
    elif alg == "EdDSA":
        k = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    elif alg in ("RS256", "PS256"):
        k = jwk.JWK.generate(kty="RSA", size=2048)
    elif alg == "HS256":
        k = jwk.JWK.generate(kty="oct", size=256)
    else:
        sys.exit("no key type for " + alg)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(k.export())


def default_alg(k):
    if k.get("kty") == "EC":
        return {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}[k.get("crv")]
    return {"OKP": "EdDSA", "RSA": "RS256", "oct": "HS256"}[k.get("kty")]


def proof(a):
    k = load(a.key)
    alg = a.alg or default_alg(k)
    header = {"typ": a.typ, "alg": alg}
    if not a.no_jwk:
        if a.private_jwk or k.get("kty") == "oct":
            header["jwk"] = json.loads(k.export())
        else:
            header["jwk"] = json.loads(k.export_public())
        if a.jwk_extras:  # what pam-jwt keygen puts in a JWK beside the key
            header["jwk"].update(kid=k.thumbprint(), alg=alg, use="sig")
    claims = {
        "jti": a.jti or str(uuid.uuid4()),
        "htm": a.htm,
        "htu": a.htu,
        "iat": int(time.time()) + a.iat_offset,
    }
    if a.nonce:
        claims["nonce"] = a.nonce
    if a.ath:
        claims["ath"] = base64.urlsafe_b64encode(
            hashlib.sha256(a.ath.encode("ascii")).digest()).rstrip(b"=").decode()
    if alg == "none":
        enc = lambda o: base64.urlsafe_b64encode(
            json.dumps(o, separators=(",", ":")).encode()).rstrip(b"=").decode()
        print(enc(header) + "." + enc(claims) + ".")
        return
    s = jws.JWS(json.dumps(claims, separators=(",", ":")).encode())
    s.add_signature(k, None, protected=json.dumps(header, separators=(",", ":")))
    print(s.serialize(compact=True))


def verify(tok, jwks_path):
    """Verifies tok against the key set in jwks_path; prints the kid used."""
    with open(jwks_path) as f:
        ks = jwk.JWKSet.from_json(f.read())
    kid = json.loads(b64d(tok.split(".")[0])).get("kid")
    s = jws.JWS()
    s.deserialize(tok)
    s.verify(ks.get_key(kid))
    print("signature verifies with kid", kid)


def decode(tok):
    h, p = tok.split(".")[:2]
    print(json.dumps({"header": json.loads(b64d(h)), "claims": json.loads(b64d(p))}))


def check(a):
    """RFC 9449 §4.3's checks of a proof, with jwcrypto: the independent verdict."""
    h, p = a.proof.split(".")[:2]
    header, claims = json.loads(b64d(h)), json.loads(b64d(p))
    if header.get("typ") != "dpop+jwt":
        sys.exit("typ is not dpop+jwt")
    if a.alg and header.get("alg") != a.alg:
        sys.exit("alg is %s, not %s" % (header.get("alg"), a.alg))
    if header.get("alg", "none") == "none" or header["alg"].startswith("HS"):
        sys.exit("alg is not asymmetric")
    pub = header.get("jwk")
    if not isinstance(pub, dict) or any(m in pub for m in ("d", "p", "q", "dp", "dq", "qi", "k")):
        sys.exit("the header's jwk is missing or holds a private member")
    key = jwk.JWK(**pub)
    s = jws.JWS()
    s.deserialize(a.proof)
    s.verify(key, alg=header["alg"])
    want = {"htm": a.htm, "htu": a.htu, "nonce": a.nonce}
    if a.ath is not None:
        want["ath"] = base64.urlsafe_b64encode(
            hashlib.sha256(a.ath.encode("ascii")).digest()).rstrip(b"=").decode()
    for name, value in want.items():
        if claims.get(name) != value:
            sys.exit("%s is %r, not %r" % (name, claims.get(name), value))
    if a.ath is None and "ath" in claims:
        sys.exit("ath present without a token")
    if not isinstance(claims.get("jti"), str) or len(claims["jti"]) < 16:
        sys.exit("jti missing or short")
    if not isinstance(claims.get("iat"), int) or abs(claims["iat"] - time.time()) > 60:
        sys.exit("iat is not now")
    print(key.thumbprint())


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "genkey":
        genkey(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "ES256")
    elif cmd == "thumb":
        print(load(sys.argv[2]).thumbprint())
    elif cmd == "verify":
        verify(sys.argv[2], sys.argv[3])
    elif cmd == "decode":
        decode(sys.argv[2])
    elif cmd == "check":
        p = argparse.ArgumentParser(prog="dpop.py check")
        p.add_argument("proof")
        p.add_argument("--htu", required=True)
        p.add_argument("--htm", required=True)
        p.add_argument("--nonce", required=True)
        p.add_argument("--ath")
        p.add_argument("--alg")
        check(p.parse_args(sys.argv[2:]))
    elif cmd == "proof":
        p = argparse.ArgumentParser(prog="dpop.py proof")
        p.add_argument("key")
        p.add_argument("--htu", required=True)
        p.add_argument("--htm", default="POST")
        p.add_argument("--nonce")
        p.add_argument("--ath")
        p.add_argument("--iat-offset", type=int, default=0)
        p.add_argument("--jti")
        p.add_argument("--typ", default="dpop+jwt")
        p.add_argument("--alg")
        p.add_argument("--private-jwk", action="store_true")
        p.add_argument("--no-jwk", action="store_true")
        p.add_argument("--jwk-extras", action="store_true")
        proof(p.parse_args(sys.argv[2:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
