#!/usr/bin/python3
"""Wycheproof's JWS vectors through `pam-jwt verify --signature-only --jwks`.

tests/data/vectors/wycheproof/json_web_signature_test.json is Google's Wycheproof
file, copied unchanged (Apache-2.0, LICENSE beside it). Every test of every
group (HMAC, RSA PKCS#1 and PSS, ECDSA, RFC 7520 keys, keys for encryption,
base64 edge cases, ECDSA special cases) must get its labelled verdict. Each
group's key (its public key when it has one) is the only member of a JWK Set
file given with --jwks, so the key alone decides what verifies.

Exactly these tests disagree with their label, as in tests/unit/test_wycheproof_jws.c
(asserted below, so that any other disagreement, or a fix upstream, shows up):
  - tcId 367 and 370 are labelled invalid ("invalidBase64Padding") but are
    byte-identical to tcId 357, which is labelled valid: pam_jwt accepts them.
  - tcId 372 and 373 are labelled valid but contain '?', which is not in the
    base64url alphabet: pam_jwt's strict decoder refuses them.
  - tcId 346 and 350 (PS384 tokens, key "alg" PS256, RFC 7520 §4.2) and 347
    and 351 (ES512 tokens, key "alg" "ES521") are labelled valid, but a key's
    "alg" must equal the token's (RFC 8725 §3.1): pam_jwt refuses them.
"""
import json
import os
import subprocess
import sys
import tempfile

EXCEPTIONS = {367: "valid", 370: "valid", 372: "invalid", 373: "invalid",
              346: "invalid", 347: "invalid", 350: "invalid", 351: "invalid"}

srcdir = os.environ.get("top_srcdir", ".")
builddir = os.environ.get("top_builddir", ".")
cli = os.path.join(builddir, "pam-jwt")
vectors = os.path.join(srcdir, "tests", "data", "vectors", "wycheproof", "json_web_signature_test.json")

n = 0
failed = False


def ok(good, desc):
    global n, failed
    n += 1
    print(("ok" if good else "not ok") + " %d - %s" % (n, desc))
    failed = failed or not good


def verdict(jwks_path, jws):
    """pam-jwt's verdict on jws (bytes exactly as in the vector, on stdin)."""
    r = subprocess.run([cli, "verify", "--signature-only", "--jwks", jwks_path],
                       input=jws.encode() + b"\n", stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, check=False)
    if r.returncode not in (0, 1):
        print("# exit %d: %s" % (r.returncode, r.stdout.decode(errors="replace")[-300:]))
    return {0: "valid", 1: "invalid"}.get(r.returncode, "error")


def write_jwks(path, group):
    """The group's key as a JWK Set, mode 0600 (some are HMAC secrets)."""
    key = group.get("public", group["private"])
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, json.dumps({"keys": [key]}).encode())
    os.close(fd)


def main():
    with open(vectors, encoding="utf-8") as f:
        data = json.load(f)
    groups = data["testGroups"]
    ok(len(groups) == 23, "the vector file has its 23 groups")
    disagree = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, g in enumerate(groups):
            jwks_path = os.path.join(tmp, "group%d.json" % i)
            write_jwks(jwks_path, g)
            wrong = []
            for t in g["tests"]:
                jws = t["jws"] if isinstance(t["jws"], str) else json.dumps(t["jws"])
                got = verdict(jwks_path, jws)
                if got != t["result"]:
                    disagree[t["tcId"]] = got
                    if t["tcId"] not in EXCEPTIONS:
                        wrong.append(t["tcId"])
                        print("# tcId %d (%s): labelled %s, got %s"
                              % (t["tcId"], t["comment"], t["result"], got))
            ok(not wrong, "group %d (%s, %d tests): every verdict as labelled, but for "
               "the known exceptions" % (i, g["comment"], len(g["tests"])))
    ok(disagree == EXCEPTIONS, "exactly the known exceptions disagree with their label "
       "(tcId %s)" % ", ".join(str(t) for t in sorted(disagree)))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
