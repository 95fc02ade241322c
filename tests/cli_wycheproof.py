#!/usr/bin/python3
"""Wycheproof's JWS vectors through `pam-jwt verify --signature-only`.

tests/vectors/wycheproof/json_web_signature_test.json is Google's Wycheproof
file, copied unchanged (Apache-2.0, LICENSE beside it). Every test of its
"hs256" and "base64" groups must get its labelled verdict. The groups carry
their key as a JWK of kty "oct"; its "k" is decoded into a key file.

Four labels of the "base64" group are wrong, and pam_jwt's strict decoder
disagrees with exactly those (asserted below, so that any other disagreement,
or a fix upstream, shows up):
  - tcId 367 and 370 are labelled invalid ("invalidBase64Padding") but are
    byte-identical to tcId 357, which is labelled valid: pam_jwt accepts them.
  - tcId 372 and 373 are labelled valid but contain '?', which is not in the
    base64url alphabet: pam_jwt refuses them.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile

GROUPS = ("hs256", "base64")
MISLABELLED = {367: "valid", 370: "valid", 372: "invalid", 373: "invalid"}

srcdir = os.environ.get("top_srcdir", ".")
builddir = os.environ.get("top_builddir", ".")
cli = os.path.join(builddir, "pam-jwt")
vectors = os.path.join(srcdir, "tests", "vectors", "wycheproof", "json_web_signature_test.json")

n = 0
failed = False


def ok(good, desc):
    global n, failed
    n += 1
    print(("ok" if good else "not ok") + " %d - %s" % (n, desc))
    failed = failed or not good


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def verdict(key_path, jws):
    """pam-jwt's verdict on jws (bytes exactly as in the vector, on stdin)."""
    r = subprocess.run([cli, "verify", "--signature-only", "--key", key_path],
                       input=jws.encode() + b"\n", stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, check=False)
    if r.returncode not in (0, 1):
        print("# exit %d: %s" % (r.returncode, r.stdout.decode(errors="replace")[-300:]))
    return {0: "valid", 1: "invalid"}.get(r.returncode, "error")


def main():
    with open(vectors, encoding="utf-8") as f:
        data = json.load(f)
    groups = [g for g in data["testGroups"] if g["comment"] in GROUPS]
    ok(len(groups) == len(GROUPS), "the vector file has the groups %s" % ", ".join(GROUPS))
    seen = set()
    with tempfile.TemporaryDirectory() as tmp:
        for g in groups:
            jwk = g["private"]
            key = b64url_decode(jwk["k"])
            # The module drops one trailing newline from a key file: these keys have none.
            assert jwk["kty"] == "oct" and key[-1:] not in (b"\n", b"\r")
            key_path = os.path.join(tmp, g["comment"] + ".key")
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, key)
            os.close(fd)
            for t in g["tests"]:
                jws = t["jws"] if isinstance(t["jws"], str) else json.dumps(t["jws"])
                want = MISLABELLED.get(t["tcId"], t["result"])
                note = " (labelled %s, see above)" % t["result"] if t["tcId"] in MISLABELLED else ""
                got = verdict(key_path, jws)
                seen.add(t["tcId"])
                ok(got == want, "%s tcId %d %s: %s%s" % (g["comment"], t["tcId"], t["comment"],
                                                          want, note))
    ok(set(MISLABELLED) <= seen, "every known mislabel is among the vectors run")
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
