#!/bin/sh
# A static check of src/: no jwt_fail() or jwt_fail_record() call may name the
# reason of the very jwt_err it writes, as in jwt_fail(err, s, "%s", err->reason):
# that formats a buffer into itself, and glibc leaves the reason empty. Pass a
# reason on with jwt_fail_keep(err, status) instead.
: "${top_srcdir:?run through make check}"
. "$top_srcdir/tests/lib/tap.sh"
need perl

# Prints FILE:LINE: CALL for each offending call in the files given.
find_self_format() {
	perl -e '
	my $bad = 0;
	for my $f (@ARGV) {
		open(my $fh, "<", $f) or die "$f: $!";
		local $/;
		my $text = <$fh>;
		# Comments may quote the pattern; keep their newlines for the line numbers.
		$text =~ s{/\*(.*?)\*/}{"\n" x ($1 =~ tr/\n//)}gse;
		while ($text =~ /\bjwt_fail(?:_record)?\s*\(/g) {
			my ($start, $depth, $i) = (pos($text), 1, pos($text));
			for (; $i < length($text) && $depth > 0; $i++) {
				my $c = substr($text, $i, 1);
				$depth++ if $c eq "(";
				$depth-- if $c eq ")";
			}
			(my $args = substr($text, $start, $i - $start - 1)) =~ s/\s+//g;
			# The first argument, at the top level: the jwt_err being written.
			my ($d, $j) = (0, 0);
			for (; $j < length($args); $j++) {
				my $c = substr($args, $j, 1);
				$d++ if $c eq "(";
				$d-- if $c eq ")";
				last if $c eq "," && $d == 0;
			}
			my $target = substr($args, 0, $j);
			my $rest = substr($args, $j);
			$target =~ s/^\(*&?//;
			$target =~ s/\)*$//;
			next if $target eq "" || $target =~ /[^\w.>-]/;
			if ($rest =~ /(?<![\w.>])\Q$target\E(?:->|\.)reason\b/) {
				my $line = 1 + (substr($text, 0, $start) =~ tr/\n//);
				print "$f:$line: jwt_fail on $target names $target\x27s reason\n";
				$bad = 1;
			}
		}
	}
	exit $bad;
	' "$@"
}

cat >"$T/bad1.c" <<'EOC'
	return jwt_fail(err, JWT_E_KEY, "%s", err->reason);
EOC
cat >"$T/bad2.c" <<'EOC'
	rc = jwt_fail_record(&why, JWT_E_KEY,
			     "%s: %s", path, why . reason);
EOC
cat >"$T/bad3.c" <<'EOC'
	rc = jwt_fail(&p->err, JWT_E_KEY, "x %s", p->err.reason);
EOC
cat >"$T/good.c" <<'EOC'
	rc = jwt_fail(err, JWT_E_KEY, "%s: key %zu: %s", what, i + 1, why.reason);
	rc = jwt_fail_keep(err, JWT_E_KEY);
	jwt_trace_step(tr, "key", false, "%s", err->reason);
EOC
for f in bad1 bad2 bad3; do
	find_self_format "$T/$f.c" >/dev/null
	[ $? -eq 1 ]
	ok $? "the check finds the pattern in a sample ($f)"
done
find_self_format "$T/good.c" >/dev/null
ok $? "control: the check passes another err's reason and jwt_fail_keep()"

find "$top_srcdir/src" -name '*.[ch]' | sort >"$T/files"
[ -s "$T/files" ] || { echo "# no sources found under $top_srcdir/src"; exit 1; }
# shellcheck disable=SC2046
find_self_format $(cat "$T/files") >"$T/found"
st=$?
sed 's/^/# /' "$T/found"
ok $st "no jwt_fail() in src/ formats a reason into itself"
done_testing
