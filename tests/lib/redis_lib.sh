# Real redis-server and redis-sentinel processes for the replay=redis tests:
# on 127.0.0.1, random ports, under $T, stopped when the test exits.
# Source after tests/lib/lib.sh.

need redis-server redis-cli
[ -z "${PAM_JWT_TEST_PRELOAD:-}${PAM_JWT_TEST_WRAPPER:-}" ] ||
	skip_all "real Redis servers: not under the sanitizer or valgrind runs"
[ -x "$top_builddir/tests/lib/pam_race" ] || skip_all "tests/lib/pam_race is not built"

redis_pids=
trap 'for p in $redis_pids; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# rcli PORT ARGS...: redis-cli on 127.0.0.1:PORT (as the default user, password $RPASS if set)
rcli() {
	port=$1
	shift
	if [ -n "${RPASS:-}" ]; then
		REDISCLI_AUTH=$RPASS redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" "$@"
	else
		redis-cli -h 127.0.0.1 -p "$port" "$@"
	fi
}

# wait_up PORT: until the server answers (PONG, or NOAUTH when it wants a password)
wait_up() {
	for _ in $(seq 1 100); do
		case "$(rcli "$1" ping 2>&1)" in PONG*|NOAUTH*|*"AUTH failed"*) return 0 ;; esac
		sleep 0.05
	done
	echo "# redis on port $1 did not come up"
	return 1
}

# start_redis NAME PORT [ARGS...]: a redis-server with its files in $T/NAME,
# appending every write to its AOF with fsync (a restart keeps used tokens).
# Its pid goes to $T/NAME.pid.
start_redis() {
	name=$1 port=$2
	shift 2
	mkdir -p "$T/$name"
	redis-server --port "$port" --bind 127.0.0.1 --dir "$T/$name" --save '' \
		--appendonly yes --appendfsync always --logfile "$T/$name/log" "$@" &
	echo $! >"$T/$name.pid"
	redis_pids="$redis_pids $!"
	wait_up "$port"
}

stop_redis() { # NAME
	pid=$(cat "$T/$1.pid")
	kill -CONT "$pid" 2>/dev/null
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# shipped_acl DEST: examples/redis-users.acl as shipped, each password hash
# placeholder filled in with the SHA-256 of a fresh random password. USER's
# password file ("USER PASSWORD", as redis_password_file= and pam-jwt revoke
# --redis-password-file read it) goes to $T/acl.USER. Fails when a
# placeholder is left.
shipped_acl() {
	cp "$top_srcdir/examples/redis-users.acl" "$1" || return 1
	for u in pamjwt pamjwt-admin replica sentinel; do
		pw=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
		hash=$(printf %s "$pw" | sha256sum | cut -d' ' -f1)
		U=$(echo "$u" | tr a-z A-Z)
		sed -i "s/ #SHA256-OF-THE-$U-PASSWORD / #$hash /" "$1"
		echo "$u $pw" >"$T/acl.$u"
	done
	! grep -q "SHA256-OF-THE" "$1"
}

acl_password() { cut -d' ' -f2- "$T/acl.$1"; } # USER: its password, after shipped_acl
acli_port() { # PORT USER ARGS...: redis-cli as USER of the shipped ACL (stderr too)
	port=$1 u=$2
	shift 2
	REDISCLI_AUTH=$(acl_password "$u") redis-cli --no-auth-warning --user "$u" -h 127.0.0.1 \
		-p "$port" "$@" 2>&1
}

# ms: milliseconds since the epoch
ms() { echo $(($(date +%s%N) / 1000000)); }

# race SERVICE ROUNDS: 32 processes log root in at once with one fresh token per
# round (pam_start_confdir); prints how many rounds had exactly one success.
race() {
	svc=$1 rounds=$2 exact=0
	for r in $(seq 1 "$rounds"); do
		res=$(mint --sub root --set jti="\"race-$svc-$r-$$\"" |
			"$top_builddir/tests/lib/pam_race" "$T/svc" "$svc" root 32)
		[ "$res" = "accepted=1 refused=31 other=0" ] && exact=$((exact + 1)) || echo "# round $r: $res"
	done
	echo "$exact"
}
