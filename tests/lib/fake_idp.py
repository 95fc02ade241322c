#!/usr/bin/python3
"""A misbehaving OpenID Connect provider on 127.0.0.1 (plain http), for the
refusals glewlwyd cannot be made to show: each first path segment is one
behaviour. Usage: fake_idp.py PORTFILE; writes the port, serves until killed.

  /good/       a correct provider (EC P-256 key), the control
  /otheriss/   discovery names another issuer
  /plainhost/  jwks_uri on another host over plain http
  /big/        a 50 MB key set
  /malformed/  a key set cut in the middle
  /private/    a key set holding a private key
  /oct/        a key set holding a secret ("oct") key beside the public one
  /hang/       never answers (until the client gives up)
  /redirect/   discovery answers 302 to /good/
  /deny/       device flow: the user denies (access_denied)
  /expire/     device flow: the code expires (expired_token)
  /slow/       device flow: slow_down once, then a token
  /norefreshid/  a refresh token answered with an access token and a new
               refresh token, no ID token (as glewlwyd does, and a provider
               that rotates refresh tokens)
  /stale/      tokens whose auth_time is an hour old (a provider that
               ignores max_age)
  /noauthtime/ tokens without auth_time
  /dpopbearer/  ignores the DPoP proof: a Bearer token without cnf
  /dpopother/  token_type DPoP, but cnf.jkt names another key than the proof's
  /dpopnonce/  RFC 9449 §8: a first proof without the nonce gets 400
               use_dpop_nonce and DPoP-Nonce "n-1"; a proof (checked with
               jwcrypto: typ, htm POST, htu, nonce) gets a token bound to its key
Every token answer of the device flow carries the refresh token "rt-1"; a
refresh (other than /norefreshid/) gets new ID and access tokens. Tokens
carry auth_time 5 s back (but for the two above). Each POST is recorded on
standard error as one JSON line, {"path": ..., "form": {...}}, so that a test
can check what a client sent (max_age).
"""
import json
import sys
import threading
import time
import http.server
from urllib.parse import parse_qs

from jwcrypto import jwk, jwt

KEY = jwk.JWK.generate(kty="EC", crv="P-256", kid="fake-1")
PUBLIC = json.loads(KEY.export_public())
PUBLIC["alg"] = "ES256"
PRIVATE = json.loads(KEY.export_private())
SECRET = jwk.JWK.generate(kty="oct", size=256, kid="fake-hs", alg="HS256")
OTHER = jwk.JWK.generate(kty="EC", crv="P-256")
polls = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def base(self, mode):
        return "http://127.0.0.1:%d/%s" % (self.server.server_port, mode)

    def send(self, code, body, ctype="application/json", extra=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parts = self.path.split("/", 2)
        mode, rest = parts[1], parts[2] if len(parts) > 2 else ""
        base = self.base(mode)
        if rest == ".well-known/openid-configuration":
            if mode == "hang":
                time.sleep(60)
                return
            if mode == "redirect":
                self.send(302, b"", extra={"Location": self.base("good") + "/" + rest})
                return
            doc = {"issuer": base, "jwks_uri": base + "/jwks",
                   "token_endpoint": base + "/token",
                   "device_authorization_endpoint": base + "/device_authorization"}
            if mode == "otheriss":
                doc["issuer"] = "https://provider.example/otheriss"
            if mode == "plainhost":
                doc["jwks_uri"] = "http://provider.example/jwks"
            self.send(200, doc)
        elif rest == "jwks":
            if mode == "big":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                chunk = b" " * 65536
                try:
                    for _ in range(50 * 16):
                        self.wfile.write(chunk)
                except OSError:
                    pass
            elif mode == "malformed":
                self.send(200, json.dumps({"keys": [PUBLIC]}).encode()[:60])
            elif mode == "private":
                self.send(200, {"keys": [PRIVATE]})
            elif mode == "oct":
                self.send(200, {"keys": [PUBLIC, json.loads(SECRET.export())]})
            else:
                self.send(200, {"keys": [PUBLIC]})
        else:
            self.send(404, {"error": "not_found"})

    def proof_ok(self, htu, nonce):
        """The request's DPoP proof, checked; its key in self.proof_key."""
        from jwcrypto import jws
        p = self.headers.get("DPoP")
        if not p:
            return False
        import base64
        h = json.loads(base64.urlsafe_b64decode(p.split(".")[0] + "=="))
        key = jwk.JWK(**h["jwk"])
        s = jws.JWS()
        s.deserialize(p)
        try:
            s.verify(key, alg=h["alg"])
        except Exception:
            return False
        c = json.loads(s.payload)
        if h.get("typ") != "dpop+jwt" or c.get("htm") != "POST" or c.get("htu") != htu:
            return False
        if c.get("nonce") != nonce:
            return False
        self.proof_key = key
        return True

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(n).decode())
        print(json.dumps({"path": self.path, "form": form}), file=sys.stderr, flush=True)
        parts = self.path.split("/", 2)
        mode, rest = parts[1], parts[2] if len(parts) > 2 else ""
        base = self.base(mode)
        if rest == "device_authorization":
            self.send(200, {"device_code": "dev-" + mode, "user_code": "ABCD-EFGH",
                            "verification_uri": base + "/device", "expires_in": 30,
                            "interval": 1})
        elif rest == "token":
            count = polls.get(mode, 0) + 1
            polls[mode] = count
            if mode == "deny":
                self.send(400, {"error": "access_denied"})
            elif mode == "expire":
                self.send(400, {"error": "expired_token"})
            elif mode == "slow" and count == 1:
                self.send(400, {"error": "slow_down"})
            elif mode == "dpopnonce" and not self.proof_ok(base + "/token", "n-1"):
                self.send(400, {"error": "use_dpop_nonce"}, extra={"DPoP-Nonce": "n-1"})
            else:
                claims = {"iss": base, "sub": "alice", "aud": form.get("client_id", [""])[0],
                          "iat": int(time.time()), "exp": int(time.time()) + 300,
                          "auth_time": int(time.time()) - 5}
                if mode == "stale":
                    claims["auth_time"] = int(time.time()) - 3600
                elif mode == "noauthtime":
                    del claims["auth_time"]
                t = jwt.JWT(header={"alg": "ES256", "kid": "fake-1"}, claims=claims)
                t.make_signed_token(KEY)
                if mode in ("dpopother", "dpopnonce"):
                    claims["cnf"] = {"jkt": OTHER.thumbprint() if mode == "dpopother"
                                     else self.proof_key.thumbprint()}
                t = jwt.JWT(header={"alg": "ES256", "kid": "fake-1"}, claims=claims)
                t.make_signed_token(KEY)
                answer = {"access_token": t.serialize(), "id_token": t.serialize(),
                          "token_type": "Bearer", "expires_in": 300}
                if mode in ("dpopother", "dpopnonce"):
                    answer["token_type"] = "DPoP"
                if form.get("grant_type") != ["refresh_token"]:
                    answer["refresh_token"] = "rt-1"
                elif mode == "norefreshid":
                    del answer["id_token"]
                    answer["refresh_token"] = "rt-2"
                self.send(200, answer)
        else:
            self.send(404, {"error": "not_found"})


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(srv.server_port))
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    srv.serve_forever()


if __name__ == "__main__":
    main()
