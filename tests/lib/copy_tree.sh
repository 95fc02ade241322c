# copy_tree TOP DEST: a copy of the source tree TOP in DEST (made empty first)
# to build apart from TOP, which may be configured in place (ruling out a
# second, VPATH build from it): the files git tracks and the new ones it does
# not ignore, as they are in the working tree; without git, every file but
# build/, and the copy then distcleaned. Sourced by .ci/sanitize.sh,
# fuzz/run.sh and tests/static/mutants.sh.
copy_tree() {
	rm -rf "$2"
	mkdir -p "$2"
	if git -C "$1" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$1" && git ls-files -z --cached --others --exclude-standard |
			xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
			tar --null -T - -cf -) | tar -xf - -C "$2"
	else
		(cd "$1" && tar --exclude=./build -cf - .) | tar -xf - -C "$2"
		(cd "$2" && { [ ! -f Makefile ] || make distclean >/dev/null; })
	fi
}
