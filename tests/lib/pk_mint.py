#!/usr/bin/python3
"""Public-key test keys and tokens from implementations independent of pam_jwt.

  pk_mint.py keygen --lib pyjwt|jwcrypto --alg ALG --kid KID --out FILE [--bits N]
      makes a key for ALG (RSA for RS*/PS*, the curve of ES*, Ed25519 for
      EdDSA), writes the private key to FILE (PEM for pyjwt, JWK for
      jwcrypto) and prints the public JWK, with KID, as the library exports it
  pk_mint.py jwks FILE...
      prints a JWK Set of the JWKs in the files, private members removed
  pk_mint.py sign --lib pyjwt|jwcrypto --key FILE --alg ALG [--kid KID]
                  [--sub alice] [--ttl 60]
      prints a token signed by the library (PyJWT or jwcrypto)
"""
import argparse
import json
import sys
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

CURVES = {"ES256": ec.SECP256R1, "ES384": ec.SECP384R1, "ES512": ec.SECP521R1}
PRIVATE = ("d", "p", "q", "dp", "dq", "qi", "oth")


def keygen(a):
    if a.lib == "jwcrypto":
        from jwcrypto import jwk
        if a.alg in CURVES:
            key = jwk.JWK.generate(kty="EC", crv={"ES256": "P-256", "ES384": "P-384",
                                                  "ES512": "P-521"}[a.alg], kid=a.kid)
        elif a.alg == "EdDSA":
            key = jwk.JWK.generate(kty="OKP", crv="Ed25519", kid=a.kid)
        else:
            key = jwk.JWK.generate(kty="RSA", size=a.bits, kid=a.kid)
        with open(a.out, "w") as f:
            f.write(key.export_private())
        return key.export_public()

    import jwt.algorithms as algs
    if a.alg in CURVES:
        priv, cls = ec.generate_private_key(CURVES[a.alg]()), algs.ECAlgorithm
    elif a.alg == "EdDSA":
        priv, cls = ed25519.Ed25519PrivateKey.generate(), algs.OKPAlgorithm
    else:
        priv, cls = rsa.generate_private_key(65537, a.bits), algs.RSAAlgorithm
    with open(a.out, "wb") as f:
        f.write(priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    pub = json.loads(cls.to_jwk(priv.public_key()))
    pub["kid"] = a.kid
    return json.dumps(pub)


def sign(a):
    now = int(time.time())
    claims = {"sub": a.sub, "iat": now, "exp": now + a.ttl}
    header = {"alg": a.alg}
    if a.kid:
        header["kid"] = a.kid
    if a.lib == "jwcrypto":
        from jwcrypto import jwk, jws
        with open(a.key) as f:
            key = jwk.JWK.from_json(f.read())
        token = jws.JWS(json.dumps(claims).encode())
        token.add_signature(key, alg=a.alg, protected=json.dumps(header))
        return token.serialize(compact=True)
    import jwt
    with open(a.key, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    return jwt.encode(claims, key, algorithm=a.alg, headers={"kid": a.kid} if a.kid else None)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    k = sub.add_parser("keygen")
    k.add_argument("--lib", choices=("pyjwt", "jwcrypto"), required=True)
    k.add_argument("--alg", required=True)
    k.add_argument("--kid", required=True)
    k.add_argument("--out", required=True)
    k.add_argument("--bits", type=int, default=2048)
    j = sub.add_parser("jwks")
    j.add_argument("files", nargs="+")
    s = sub.add_parser("sign")
    s.add_argument("--lib", choices=("pyjwt", "jwcrypto"), required=True)
    s.add_argument("--key", required=True)
    s.add_argument("--alg", required=True)
    s.add_argument("--kid")
    s.add_argument("--sub", default="alice")
    s.add_argument("--ttl", type=int, default=60)
    a = p.parse_args()

    if a.cmd == "keygen":
        print(keygen(a))
    elif a.cmd == "jwks":
        keys = []
        for name in a.files:
            with open(name) as f:
                key = json.load(f)
            keys.append({m: v for m, v in key.items() if m not in PRIVATE})
        print(json.dumps({"keys": keys}))
    else:
        print(sign(a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
