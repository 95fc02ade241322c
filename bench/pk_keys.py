#!/usr/bin/python3
"""A key pair for one public-key row of the benchmark (bench/cases.c).

  pk_keys.py ALG KID DIR
      makes a key for ALG (ES256: P-256, EdDSA: Ed25519, RS256: RSA 2048) with
      jwcrypto and writes DIR/ALG.jwk (the private JWK, mode 0600, which the
      benchmark signs with), DIR/ALG.jwks (a key set of the public JWK, for
      jwks_file=) and DIR/ALG.pem (the public key in PEM, as libjwt takes it)
"""
import json
import os
import sys

from jwcrypto import jwk

KINDS = {"ES256": dict(kty="EC", crv="P-256"), "EdDSA": dict(kty="OKP", crv="Ed25519"),
         "RS256": dict(kty="RSA", size=2048)}


def write(path, text, mode):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def main():
    alg, kid, out = sys.argv[1:4]
    key = jwk.JWK.generate(kid=kid, **KINDS[alg])
    base = os.path.join(out, alg)
    write(base + ".jwk", key.export_private(), 0o600)
    write(base + ".jwks", json.dumps({"keys": [json.loads(key.export_public())]}), 0o644)
    write(base + ".pem", key.export_to_pem().decode(), 0o644)


if __name__ == "__main__":
    main()
