#!/usr/bin/python3
"""Degenerate public keys for tests/module/points.sh, computed here with Python's integers.

Prints one case a line: LABEL|JWK|REASON, where JWK is a public JWK (one line
of JSON) that pam_jwt must refuse and REASON a part of the reason it gives, or
LOADS for a key on the curve that must be accepted (a control).

Ed25519 (RFC 8032): the 8 points of small order (the identity; the point of
order 2; the two of order 4; the four of order 8), each with either sign bit,
as libsodium's blocklist and Wycheproof list them; y = p and y = p + 1 (0 and
1 written non-canonically); points whose x or y is below 2^192, on which
libgcrypt 1.10 aborts; a y that is on no point. P-256/384/521: x = y = 0 (the
point at infinity as JWKs and SEC 1 write it), a coordinate of p or more (x + p
of a point on the curve, and y = p), a point off the curve.
"""
import base64
import json

P25519 = 2**255 - 19
D = -121665 * pow(121666, P25519 - 2, P25519) % P25519
SQRT_M1 = pow(2, (P25519 - 1) // 4, P25519)
# y of the points of order 8 (libsodium's ed25519 blocklist, Wycheproof's eddsa tests).
Y8 = 0x05FC536D880238B13933C6D305ACDFD5F098EFF289F4C345B027B2C28F95E826

NIST = {
    "P-256": (2**256 - 2**224 + 2**192 + 2**96 - 1,
              0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B, 32),
    "P-384": (2**384 - 2**128 - 2**96 + 2**32 - 1,
              int("B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
                  "C656398D8A2ED19D2A85C8EDD3EC2AEF", 16), 48),
    "P-521": (2**521 - 1,
              int("0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1"
                  "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00", 16), 66),
}


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def okp(y, sign=0):
    return {"kty": "OKP", "crv": "Ed25519", "x": b64((y | sign << 255).to_bytes(32, "little"))}


def ec(crv, x, y):
    n = NIST[crv][2]
    return {"kty": "EC", "crv": crv, "x": b64(x.to_bytes(n, "big")), "y": b64(y.to_bytes(n, "big"))}


def ed_sqrt(a):
    x = pow(a, (P25519 + 3) // 8, P25519)
    if x * x % P25519 != a % P25519:
        x = x * SQRT_M1 % P25519
    return x if x * x % P25519 == a % P25519 else None


def ed_y_for_x(x):
    """y of a point with this x, or None."""
    return ed_sqrt((1 + x * x) * pow(1 - D * x * x, P25519 - 2, P25519) % P25519)


def ed_decodes(y):
    u = (y * y - 1) * pow(D * y * y + 1, P25519 - 2, P25519) % P25519
    return pow(u, (P25519 - 1) // 2, P25519) == 1


def cases():
    small = [("the identity (order 1)", 1), ("the point of order 2", P25519 - 1),
             ("a point of order 4", 0), ("a point of order 8", Y8),
             ("another point of order 8", P25519 - Y8)]
    for name, y in small:
        for sign in (0, 1):
            yield f"Ed25519: {name}, x sign {sign}", okp(y, sign), "small order"
    for name, y in [("0 written as p", P25519), ("1 written as p + 1", P25519 + 1)]:
        for sign in (0, 1):
            yield f"Ed25519: y {name}, x sign {sign}", okp(y, sign), "not canonical"
    y = next(y for y in range(2, 100) if ed_decodes(y))
    yield f"Ed25519: a point with y = {y}", okp(y), "below 2^"
    y = next(y for y in range(2**191, 2**191 + 1000) if ed_decodes(y))
    yield "Ed25519: a point with y just above 2^191", okp(y), "below 2^"
    x = next(x for x in range(2, 100) if ed_y_for_x(x) is not None)
    yield f"Ed25519: a point with x = {x}", okp(ed_y_for_x(x), x & 1), "below 2^"
    y = next(y for y in range(2**224, 2**224 + 1000) if ed_decodes(y) and
             ed_sqrt((y * y - 1) * pow(D * y * y + 1, P25519 - 2, P25519) % P25519) >= 2**224)
    yield "Ed25519: a point with y just above 2^224", okp(y), "LOADS"
    y = next(y for y in range(2**254, 2**254 + 1000) if not ed_decodes(y))
    yield "Ed25519: a y on no point of the curve", okp(y), "not a point on the curve"
    for crv, (p, b, n) in NIST.items():
        x = next(x for x in range(0, 100) if pow((x**3 - 3 * x + b) % p, (p - 1) // 2, p) == 1)
        y = pow((x**3 - 3 * x + b) % p, (p + 1) // 4, p)
        assert y * y % p == (x**3 - 3 * x + b) % p
        yield f"{crv}: a point with x = {x}, on the curve", ec(crv, x, y), "LOADS"
        yield f"{crv}: the point at infinity (x = y = 0)", ec(crv, 0, 0), "point at infinity"
        yield f"{crv}: x + p of a point on the curve", ec(crv, x + p, y), "not below the field prime"
        yield f"{crv}: y = p", ec(crv, x, p), "not below the field prime"
        if y + p < 256**n:
            yield f"{crv}: y + p of a point on the curve", ec(crv, x, y + p), "not below the field prime"
        yield f"{crv}: a point off the curve (y + 1)", ec(crv, x, (y + 1) % p), "not a point on the curve"


for label, jwk, reason in cases():
    print(f"{label}|{json.dumps(jwk, separators=(',', ':'))}|{reason}")
