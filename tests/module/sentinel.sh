#!/bin/sh
# replay=redis through Redis Sentinel (real redis-server and redis-sentinel on
# 127.0.0.1): the master found through the sentinels (a dead one skipped), a
# failover that promotes the replica (a token used before stays used, logins
# work again), and a master without a replica refusing (WAIT 1). The servers
# run the users of examples/redis-users.acl as shipped: the module logs in as
# pamjwt, the replica as replica, Sentinel as sentinel.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/redis_lib.sh"
need redis-sentinel

shipped_acl "$T/users.acl"
ok $? "examples/redis-users.acl: every placeholder filled in"
ACL="--aclfile $T/users.acl --masteruser replica --masterauth $(acl_password replica)"
PM=$(free_port)
# shellcheck disable=SC2086
start_redis master "$PM" $ACL || skip_all "redis-server did not start"
PR=$(free_port)
# shellcheck disable=SC2086
start_redis replica "$PR" --replicaof 127.0.0.1 "$PM" $ACL || skip_all "replica did not start"
PS=$(free_port)
mkdir -p "$T/sentinel"
cat >"$T/sentinel/s.conf" <<EOF
port $PS
bind 127.0.0.1
dir $T/sentinel
logfile $T/sentinel/log
sentinel monitor mym 127.0.0.1 $PM 1
sentinel down-after-milliseconds mym 1000
sentinel failover-timeout mym 10000
sentinel auth-user mym sentinel
sentinel auth-pass mym $(acl_password sentinel)
EOF
redis-sentinel "$T/sentinel/s.conf" &
echo $! >"$T/sentinel.pid"
redis_pids="$redis_pids $!"
wait_up "$PS" || skip_all "redis-sentinel did not start"
# Until the replica is in sync, WAIT 1 cannot succeed.
for _ in $(seq 1 100); do
	acli_port "$PM" sentinel info replication | grep -q "slave0:.*state=online" && break
	sleep 0.1
done

DEAD=$(free_port)
S="replay=redis redis_sentinel=127.0.0.1:$DEAD,127.0.0.1:$PS redis_master=mym redis_timeout_ms=1000 redis_password_file=$T/acl.pamjwt"
service sn "$(jwt_line $S)"
# The race logs root in (pam_race): its own service, with allow_root.
service snroot "$(jwt_line $S allow_root)"
tok() { j=$1; shift; mint --set jti="\"$j-$$\"" "$@"; }
master_port() { rcli "$PS" sentinel get-master-addr-by-name mym | sed -n 2p; }

a=$(tok before-failover)
expect "through Sentinel (first sentinel dead): first use accepted" sn alice "$a" "$ACCEPT"
expect "through Sentinel: second use refused" sn alice "$a" "$AUTH_ERR" "already used"
[ "$(acli_port "$PR" pamjwt-admin --scan --pattern 'pam_jwt:used:*' | wc -l)" -ge 1 ]
ok $? "the replica holds the record (WAIT 1 before accepting)"
n=$(race snroot 3 | tail -n 1)
[ "$n" = 3 ]
ok $? "32 concurrent logins through Sentinel, 3 rounds: exactly one accepted each ($n/3)"

# pam-jwt revoke through the sentinels, as pamjwt-admin (ROLE, GET, SET).
"$top_builddir/pam-jwt" revoke --redis-sentinel "127.0.0.1:$PS" --redis-master mym \
	--redis-password-file "$T/acl.pamjwt-admin" --sub bob --until +1h >"$T/out" 2>&1
ok $? "pam-jwt revoke --redis-sentinel as pamjwt-admin: sub bob revoked"
expect "through Sentinel, as pamjwt: bob's token refused (revoked)" sn bob "$(tok rv-bob --sub bob)" "$AUTH_ERR" "token revoked in Redis (sub)"
expect "through Sentinel, as pamjwt: control, alice's accepted" sn alice "$(tok rv-alice)" "$ACCEPT"

# Promote the replica.
rcli "$PS" sentinel failover mym >/dev/null
t0=$(ms)
for _ in $(seq 1 100); do [ "$(master_port)" = "$PR" ] && break; sleep 0.1; done
[ "$(master_port)" = "$PR" ]
ok $? "Sentinel promoted the replica (port $PR)"
expect "after the failover, the token used before stays used" sn alice "$a" "$AUTH_ERR" "already used"
# Until the old master follows the new one, WAIT 1 has no replica: logins are
# refused (never accepted unrecorded), each attempt with a fresh token.
tries=0
for i in $(seq 1 80); do
	tries=$i
	pam sn alice "$(tok retry-$i)"
	grep -qF "pamtester: $ACCEPT" "$T/out" && break
	sleep 0.25
done
el=$(($(ms) - t0))
grep -qF "pamtester: $ACCEPT" "$T/out"
ok $? "logins work again after the failover: first success $el ms after it began ($tries attempts)"
# The old master may still be resyncing with the new one: a full sync drops
# the link for a moment, and Sentinel may reconfigure it once more after a
# first one. Wait until a write on the new master is acknowledged by a
# replica (WAIT 1), which is what the module's record needs.
for _ in $(seq 1 50); do
	[ "$(printf 'SET pam_jwt:used:probe 1\nWAIT 1 200\n' | acli_port "$PR" pamjwt | tail -n 1)" = 1 ] && break
	sleep 0.2
done
expect "after the failover: a fresh token accepted" sn alice "$(tok fresh)" "$ACCEPT"

# The master without a replica: the record could be lost by a failover.
stop_redis master
c=$(tok no-replica)
expect "master without a replica: refused (WAIT 1)" sn alice "$c" "$AUTHINFO_UNAVAIL" "no Redis replica acknowledged"
stop_redis sentinel 2>/dev/null || kill "$(cat "$T/sentinel.pid")"
expect "no sentinel reachable: refused" sn alice "$(tok nosentinel)" "$AUTHINFO_UNAVAIL" "Redis"

done_testing
