#!/bin/sh
# pam-jwt askpass and a bound token's challenge: it answers "DPoP proof for
# pam://HOST/SERVICE (nonce NONCE): " with a proof by the user's key (beside
# the token cache, or $PAM_JWT_DPOP_KEY) carrying ath of the token it sent,
# and the module accepts it (tests/lib/pam_pop). The relay check: it signs
# only for a host it establishes itself: this host when its parent is not
# ssh (sudo -A), the destination of its parent ssh as `ssh -G` resolves it
# (tests/lib/fake_ssh, linked as "ssh", plays that parent), or $PAM_JWT_HOST.
# A challenge naming another host gets no proof and a message.
. "$top_srcdir/tests/lib/lib.sh"
CLI=$top_builddir/pam-jwt
POP=$top_builddir/tests/lib/pam_pop
FAKE=$top_builddir/tests/lib/fake_ssh
DPOP=$top_srcdir/tests/lib/dpop.py
[ -x "$POP" ] && [ -x "$FAKE" ] || skip_all "tests/lib/pam_pop or tests/lib/fake_ssh is not built"
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"
[ -x /usr/bin/ssh ] || skip_all "ssh (openssh-client) is not installed: the ssh destination needs ssh -G"
dpop() { "$PYTHON3" "$DPOP" "$@"; }

mkdir -m 700 "$T/bin" "$T/cache" "$T/cache/pam-jwt" "$T/home"
ln -s "$FAKE" "$T/bin/ssh"
ln -s "$(cd "$top_builddir" && pwd)/pam-jwt" "$T/bin/pam-jwt-askpass"
XDG_CACHE_HOME=$T/cache HOME=$T/home SSH_ASKPASS=$T/bin/pam-jwt-askpass
export XDG_CACHE_HOME HOME SSH_ASKPASS CLI
unset PAM_JWT_HOST PAM_JWT_DPOP_KEY PAM_JWT_TOKEN_FILE PAM_JWT_TOKEN_COMMAND
C=$T/cache/pam-jwt
host=$(hostname)
service pop "$(jwt_line debug)"

"$CLI" keygen --alg ES256 --out "$C/dpop_key" >/dev/null
jkt=$(dpop thumb "$C/dpop_key")
TOK=$(mint --ttl 900 --set "cnf={\"jkt\":\"$jkt\"}")
printf '%s\n' "$TOK" >"$C/token"
chmod 600 "$C/token"

# The challenge's proof and its parts as a program answers them: one askpass
# run per prompt. $VIA is a command prefix (the fake ssh's destination).
cat >"$T/answer.sh" <<'SH'
#!/bin/sh
# answer.sh: askpass for the challenge in $POP_HTU/$POP_NONCE, then for each part prompt.
ask() { if [ -n "$VIA" ]; then FAKE_SSH_PROMPT=$1 $VIA; else "$CLI" askpass "$1"; fi; }
a=$(ask "${PREFIX}DPoP proof for $POP_HTU (nonce $POP_NONCE): ") || exit 1
echo "$a"
case $a in
[0-9]*/[0-9]*:*)
	m=${a#*/}
	m=${m%%:*}
	k=2
	while [ $k -le "$m" ]; do
		ask "${PREFIX}DPoP proof (part $k of $m): " || exit 1
		k=$((k + 1))
	done ;;
esac
SH
chmod 755 "$T/answer.sh"
POP_CMD=$T/answer.sh
export POP_CMD VIA PREFIX

login() { # [VAR=VALUE...]: the login through the module, askpass answering
	env "$@" "$T/run.sh"
	result=$(sed -n 's/^result: //p' "$T/out")
}
cat >"$T/run.sh" <<SH
#!/bin/sh
printf '%s\n' "\$TOK" | env LD_PRELOAD="${PAM_JWT_TEST_PRELOAD:+$PAM_JWT_TEST_PRELOAD }libpam_wrapper.so libnss_wrapper.so" \
	PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$T/svc" PAM_WRAPPER_DEBUGLEVEL=2 \
	NSS_WRAPPER_PASSWD="$T/passwd" NSS_WRAPPER_GROUP="$T/group" \
	"$POP" pop alice >"$T/out" 2>&1
SH
chmod 755 "$T/run.sh"
export TOK
shout() { [ "$1" -eq 0 ] || sed 's/^/# /' "$T/out" | grep -v PWRAP_DEBUG; }

# sudo -A: askpass's parent is not ssh, so the host is this host.
login VIA=
[ "$result" = Success ] && grep -qF "pop=bound jkt=$jkt" "$T/out"
s=$?; shout $s
ok $s "askpass answers this host's challenge with a proof the module accepts (sudo -A's case)"
grep -q "^prompt: DPoP proof (part 2 of [0-9]*): \$" "$T/out"
ok $? "the proof went in parts, each askpass run answering one prompt"
[ ! -e "$C/dpop_proof" ]
ok $? "the proof kept for the parts is removed after the last part"
login VIA= PREFIX="(alice@$host) "
[ "$result" = Success ]
ok $? "a prompt with OpenSSH's \"(user@host) \" prefix is answered"
cp "$C/token" "$T/token.saved"
printf '%s\n' "$(mint --ttl 901 --set "cnf={\"jkt\":\"$jkt\"}")" >"$C/token"
login VIA=
[ "$result" = "Authentication failure" ] && grep -q "ath" "$T/out"
ok $? "a proof made with another token's ath (the cache changed) is refused by the module"
cp "$T/token.saved" "$C/token"
login VIA= PAM_JWT_TOKEN_COMMAND="cat '$T/token.saved'"
[ "$result" = Success ]
ok $? "with PAM_JWT_TOKEN_COMMAND, ath is of the token the command prints"

# The relay case: a prompt naming a host other than the one askpass established.
login VIA= PAM_JWT_HOST=elsewhere.example
[ "$result" = "Authentication failure" ] &&
	grep -qF "the DPoP challenge is for host \"$host\", but PAM_JWT_HOST is \"elsewhere.example\"" "$T/out" &&
	grep -qF "no proof is given" "$T/out" && ! grep -q "pop=bound jkt=$jkt result=success" "$T/out"
s=$?; shout $s
ok $s "PAM_JWT_HOST naming another host: no proof, and a message on stderr"
login VIA= PAM_JWT_HOST="$host"
[ "$result" = Success ]
ok $? "control: PAM_JWT_HOST naming this host: the proof is given"

# ssh: the destination of the parent ssh, as ssh -G resolves it.
login VIA="$T/bin/ssh -p 2222 alice@$host uptime"
[ "$result" = Success ]
s=$?; shout $s
ok $s "ssh to this host (the parent's destination): the module accepts the proof"
login VIA="$T/bin/ssh -p 2222 alice@elsewhere.example uptime"
[ "$result" = "Authentication failure" ] &&
	grep -qF "but the ssh destination is \"elsewhere.example\"" "$T/out"
s=$?; shout $s
ok $s "relayed: ssh to elsewhere.example shown this host's challenge: no proof, with a message"
login VIA="$T/bin/ssh -p 2222 elsewhere.example" PAM_JWT_HOST="$host"
[ "$result" = Success ]
ok $? "PAM_JWT_HOST names the host when ssh's destination is not its name"
# A short name matches a full name the resolver would make of it: example.org
# searched (LOCALDOMAIN, as the resolver reads it), other domains not.
LOCALDOMAIN=example.org
export LOCALDOMAIN
cat >"$T/ssh_config" <<EOF
Host prod
	HostName $host.example.org
Host byaddr
	HostName 192.0.2.7
EOF
login VIA="$T/bin/ssh -F $T/ssh_config prod"
[ "$result" = Success ]
ok $? "an ssh alias whose HostName is this host's full name (HOST its first label) is accepted"
login VIA="$T/bin/ssh -F $T/ssh_config byaddr"
[ "$result" = "Authentication failure" ] && grep -qF "192.0.2.7" "$T/out"
ok $? "an ssh alias to an address is refused with its names (set PAM_JWT_HOST)"

# The host-name rule, case by case, askpass run directly with PAM_JWT_HOST.
N=abcdefghijklmnopqrstuv
match() { # HOST_IN_PROMPT PAM_JWT_HOST EXPECTED_EXIT
	rc=0
	PAM_JWT_HOST=$2 "$CLI" askpass "DPoP proof for pam://$1/sshd (nonce $N): " >"$T/p" 2>"$T/e" || rc=$?
	rm -f "$C/dpop_proof"
	[ $rc -eq "$3" ]
	ok $? "prompt host $1, established $2: exit $3"
}
match web1 web1 0
match WEB1 web1 0
match web1 Web1.Example.Org. 0
match web1.example.org web1 0
match web1.example.org WEB1.example.org 0
match web1 web10 1
match web10 web1 1
match web1.example.org web1.example.com 1
match web1.example.org example.org 1
match example.org web1.example.org 1
match 192 192.0.2.7 1
match web1.evil.example web1.example.org 1
match web1 web1.evil.example 1
match web1.example.com web1 1
LOCALDOMAIN="corp.example example.org"
match web1 web1.example.org 0
LOCALDOMAIN=
match web1 web1.example.org 1
LOCALDOMAIN=example.org
login VIA="$T/bin/ssh -F $T/ssh_config prod" LOCALDOMAIN=corp.example
[ "$result" = "Authentication failure" ]
ok $? "the alias's full name in a domain not searched: no proof (this host's short name is not that name)"

# The key: PAM_JWT_DPOP_KEY, or none.
mv "$C/dpop_key" "$T/elsewhere.jwk"
login VIA=
[ "$result" = "Authentication failure" ] && grep -qF "$C/dpop_key" "$T/out"
ok $? "no key beside the token: no proof, the message names where it looked"
login VIA= PAM_JWT_DPOP_KEY="$T/elsewhere.jwk"
[ "$result" = Success ]
ok $? "PAM_JWT_DPOP_KEY names the key"
"$CLI" keygen --alg ES256 --out "$C/dpop_key" >/dev/null
login VIA=
[ "$result" = "Authentication failure" ] && grep -q "DPoP proof" "$T/out"
ok $? "a proof by another key (a new dpop_key) is refused by the module"
rc=0
"$CLI" askpass "DPoP proof for pam://$host/sshd (nonce bad nonce): " >"$T/p" 2>"$T/e" || rc=$?
[ $rc -eq 1 ] && [ ! -s "$T/p" ] && grep -q "not pam_jwt's DPoP challenge" "$T/e"
ok $? "a malformed challenge gets nothing"

done_testing
