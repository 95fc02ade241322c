#!/bin/sh
# The module's arguments, from the option table (src/jwt_config.c), against
# pam_jwt(8): every argument the table parses is documented in OPTIONS, and
# every argument OPTIONS documents is one the table parses. pam-jwt check
# --list-arguments prints the table; it also says what examines each path
# argument (its own reader, the keys, or the file rule of its row).
: "${top_srcdir:?run through make check}"
. "$top_srcdir/tests/lib/tap.sh"
top_builddir=${top_builddir:-$top_srcdir}
PAM_JWT=$top_builddir/pam-jwt
[ -x "$PAM_JWT" ] || skip_all "pam-jwt is not built"

# The argument names of the OPTIONS section of a man page: the words of each
# .TP header (after font escapes and quotes are dropped) that are lower-case
# names, alone or followed by '='.
documented() { # MAN
	awk '/^\.SH/ { on = ($0 ~ /^\.SH +"?OPTIONS"?$/) } on && prev == ".TP" { print } { prev = $0 }' "$1" |
		sed -e 's/\\f[BIRP]//g' -e 's/^\.[A-Z]*//' | tr ' "' '\n\n' |
		sed -n 's/^\([a-z][a-z_]*\)\(=.*\)\{0,1\}$/\1/p' | sort -u
}

# Names in one list and not in the other: "only in A: NAME" lines.
differ() { # A B
	comm -23 "$1" "$2" | sed 's/^/only in the first: /'
	comm -13 "$1" "$2" | sed 's/^/only in the second: /'
}

cat >"$T/sample.8" <<'EOM'
.SH DESCRIPTION
.TP
.B not_an_option
.SH OPTIONS
.TP
.BI secret_file= PATH
The key.
.TP
.BR redis= \fIHOST\fB:\fIPORT\fR " | " redis=unix: \fIPATH\fR
.TP
.BI redis_sentinel= HOST:PORT,... " redis_master=" NAME
.TP
.BR use_first_pass ", " try_first_pass
.SH "SEE ALSO"
.TP
.B also_not
EOM
printf '%s\n' redis redis_master redis_sentinel secret_file try_first_pass use_first_pass >"$T/want"
documented "$T/sample.8" >"$T/got"
cmp -s "$T/got" "$T/want"
ok $? "the check reads the names of each .TP header of OPTIONS only (a sample page)"
printf '%s\n' redis secret_file >"$T/a"
printf '%s\n' redis user_map >"$T/b"
[ "$(differ "$T/a" "$T/b" | wc -l)" -eq 2 ]
ok $? "the check finds a name missing on either side (a sample)"

"$PAM_JWT" check --list-arguments >"$T/table"
ok $? "pam-jwt check --list-arguments prints the option table"
awk '{ print $1 }' "$T/table" | sort -u >"$T/parsed"
grep -qx prompt "$T/parsed" && grep -qx secret_file "$T/parsed"
ok $? "control: the table holds secret_file and prompt"
documented "$top_srcdir/man/pam_jwt.8" >"$T/man"
differ "$T/parsed" "$T/man" >"$T/out"
[ ! -s "$T/out" ]
ok $? "every argument of the option table is in pam_jwt(8) OPTIONS, and the other way round"
awk '$2 == "path" && $4 !~ /^(reader|keys|rule)$/' "$T/table" >"$T/out"
[ ! -s "$T/out" ]
ok $? "pam-jwt check examines every path argument of the table"
done_testing
