#!/bin/sh
# SECURITY.md stays true to the code: every source function it names, written
# as `name`, `name()` or name(), still exists in src/ (defined or called as a
# function, or #defined), and every file of src/ and tests/ it names exists.
# Names of the libraries' and the system's functions that it quotes are
# listed below; anything else it names must be in src/.
: "${top_srcdir:?run through make check}"
. "$top_srcdir/tests/lib/tap.sh"
need perl

# Functions and macros of libgcrypt, json-c, libpam, libc and the kernel, and
# JSON member names, that SECURITY.md may name: they are not pam_jwt's
# functions, so src/ need not define them.
EXTERNAL="key_ops gcry_mac_verify gcry_mac_setkey gcry_mac_open gcry_mac_close gcry_md_hash_buffers
gcry_check_version gcry_mpi_ec_curve_point gcry_pk_verify json_tokener_parse_ex
json_tokener_parse json_object_get_int64 json_object_object_add json_tokener_free
pam_get_authtok pam_syslog pam_set_item pam_end pam_start_confdir getpwnam_r
explicit_bzero openlog closelog setlogmask prctl setrlimit realpath lstat fstat
safe_path pthread_once GCRYCTL_INITIALIZATION_FINISHED_P GCRYCTL_INITIALIZATION_FINISHED
JSON_TOKENER_STRICT JSON_TOKENER_VALIDATE_UTF8 PR_SET_DUMPABLE RLIMIT_CORE O_NOFOLLOW
PAM_AUTHTOK PAM_USER PAM_PROMPT_ECHO_OFF PAM_SUCCESS PAM_IGNORE PAM_AUTH_ERR
PAM_USER_UNKNOWN PAM_AUTHINFO_UNAVAIL PAM_SERVICE_ERR PAM_BUF_ERR PAM_SYSTEM_ERR
INT64_MAX INT64_MIN S_ISVTX abort pw_name allow_root O_EXCL"

# Prints each name DOC names that is neither in src/ (files $SRC) nor external.
missing_names() { # DOC SRCDIR
	EXTERNAL=$EXTERNAL perl -e '
	my ($doc, $srcdir) = @ARGV;
	my %external = map { $_ => 1 } split /\s+/, $ENV{EXTERNAL};
	local $/;
	open(my $fh, "<", $doc) or die "$doc: $!";
	my $text = <$fh>;
	my %named;
	# `name` or `name()`: identifiers with an underscore (C names, not words);
	# anything written name() outside backticks.
	$named{$1} = 1 while $text =~ /`([A-Za-z_][A-Za-z0-9]*_[A-Za-z0-9_]*)(?:\(\))?`/g;
	$named{$1} = 1 while $text =~ /(?<![\w`.\/-])([A-Za-z_][A-Za-z0-9_]*)\(\)/g;
	my $src = "";
	for my $f (glob("$srcdir/*.[ch] $srcdir/*/*.[ch]")) {
		open(my $s, "<", $f) or die "$f: $!";
		my $t = <$s>;
		$t =~ s{/\*.*?\*/}{}gs;		# a name only in a comment is gone
		$src .= $t;
	}
	my $bad = 0;
	for my $n (sort keys %named) {
		next if $external{$n};
		next if $src =~ /\b\Q$n\E\s*\(/ || $src =~ /#\s*define\s+\Q$n\E\b/;
		print "$n\n";
		$bad = 1;
	}
	exit $bad;
	' "$1" "$2"
}

printf 'A check (src/jwt_sig.c, `no_such_function`), and gone_too() as well.\n' >"$T/bad.md"
missing_names "$T/bad.md" "$top_srcdir/src" >"$T/found"
[ $? -eq 1 ] && grep -qx no_such_function "$T/found" && grep -qx gone_too "$T/found"
ok $? "the check finds a function that src/ does not have, in backticks and as name()"
printf 'Checked by `jwt_verify_signature`, `jwt_fail()` and jwt_key_fits(), beside `gcry_mac_verify`.\n' >"$T/good.md"
missing_names "$T/good.md" "$top_srcdir/src" >"$T/found"
ok $? "control: functions src/ has, and a library's, pass"

missing_names "$top_srcdir/SECURITY.md" "$top_srcdir/src" >"$T/found"
st=$?
sed 's/^/# SECURITY.md names a function src\/ does not have: /' "$T/found"
ok $st "every source function SECURITY.md names exists in src/"

# Prints each file DOC names under src/ or tests/ (a test program by its name,
# without .c) that TOP does not have: a moved file leaves its old path behind.
missing_paths() { # DOC TOP
	grep -o '\(src\|tests\)/[A-Za-z0-9_/.-]*[A-Za-z0-9_]' "$1" | sort -u | while read -r p; do
		[ -e "$2/$p" ] || [ -e "$2/$p.c" ] || echo "$p"
	done
}
printf 'Checked in src/jwt_gone.c and tests/test_gone; src/jwt_sig.c and tests/unit/test_core are.\n' \
	>"$T/paths.md"
[ "$(missing_paths "$T/paths.md" "$top_srcdir" | tr '\n' ' ')" = "src/jwt_gone.c tests/test_gone " ]
ok $? "the check finds the paths a sample names that do not exist, and passes the others"
missing_paths "$top_srcdir/SECURITY.md" "$top_srcdir" >"$T/found"
sed 's/^/# SECURITY.md names a file that does not exist: /' "$T/found"
[ ! -s "$T/found" ]
ok $? "every file of src/ and tests/ SECURITY.md names exists"
done_testing
