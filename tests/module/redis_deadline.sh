#!/bin/sh
# redis_timeout_ms= bounds the whole store exchange of one login, not each
# read: a fake Redis (tests/lib/drip_redis.py) that sends every reply one byte at
# a time, each byte well within the timeout, is refused once the deadline has
# passed, directly and through redis_sentinel=; the same fake answering at
# once is accepted (the control). No redis-server needed.
. "$top_srcdir/tests/lib/lib.sh"

fakes=
trap 'for p in $fakes; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# fake NAME DELAY: starts a fake Redis dripping a byte every DELAY seconds;
# its port goes to $port
fake() {
	"$PYTHON3" "$top_srcdir/tests/lib/drip_redis.py" "$T/$1.port" "$2" >"$T/$1.log" 2>&1 &
	fakes="$fakes $!"
	for _ in $(seq 1 100); do [ -s "$T/$1.port" ] && break; sleep 0.05; done
	port=$(cat "$T/$1.port" 2>/dev/null)
}
ms() { echo $(($(date +%s%N) / 1000000)); }
tok() { mint --set jti="\"$1-$$\""; }

# timed NAME SERVICE JTI: one login; its verdict in $T/out, its time in $el (ms)
timed() {
	t0=$(ms)
	pam "$2" alice "$(tok "$3")"
	el=$(($(ms) - t0))
	cp "$T/out" "$T/$1.out"
}

fake now 0
NOW=$port
fake drip 0.2
DRIP=$port
[ -n "$NOW" ] && [ -n "$DRIP" ] || skip_all "the fake Redis did not start"
TMO=500
service now "$(jwt_line replay=redis redis=127.0.0.1:$NOW redis_timeout_ms=$TMO)"
service drip "$(jwt_line replay=redis redis=127.0.0.1:$DRIP redis_timeout_ms=$TMO)"
service snow "$(jwt_line replay=redis redis_sentinel=127.0.0.1:$NOW redis_master=m redis_timeout_ms=$TMO)"
service sdrip "$(jwt_line replay=redis redis_sentinel=127.0.0.1:$DRIP redis_master=m redis_timeout_ms=$TMO)"

# Each case is timed against its control: what pamtester costs (more under
# valgrind) is in both. The dripping server takes 0.2 s a byte, about 5 s for
# the replies of one login: each read is answered within the 500 ms.
timed control now c1
grep -qF "pamtester: $ACCEPT" "$T/out"
ok $? "control: the fake Redis answering at once accepts the login ($el ms)"
base=$el
timed drip drip d1
grep -qF "pamtester: $AUTHINFO_UNAVAIL" "$T/out" && grep -q "no answer within redis_timeout_ms=" "$T/out"
ok $? "a server dripping its replies a byte at a time: refused (PAM_AUTHINFO_UNAVAIL)"
[ "$el" -le $((base + 3 * TMO)) ]
ok $? "... once the deadline has passed: $el ms, the control $base ms, redis_timeout_ms=$TMO"

timed scontrol snow c2
grep -qF "pamtester: $ACCEPT" "$T/out"
ok $? "control: through redis_sentinel= (sentinel, ROLE, MGET, SET, WAIT answered at once) accepted ($el ms)"
base=$el
timed sdrip sdrip d2
grep -qF "pamtester: $AUTHINFO_UNAVAIL" "$T/out"
ok $? "through redis_sentinel=, everything dripped: refused"
[ "$el" -le $((base + 3 * TMO)) ]
ok $? "... within the one deadline for sentinel and master: $el ms, the control $base ms"

done_testing
