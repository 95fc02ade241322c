# make install and make uninstall into a scratch DESTDIR (tests/install.sh),
# against the one list of installed files, tests/install.list.
TESTS += tests/install.sh
dist_check_SCRIPTS += tests/install.sh
dist_check_DATA += tests/install.list

# The installation directories, for tests/install.sh to expand the list with.
print-install-dirs:
	@echo "prefix=$(prefix)"
	@echo "bindir=$(bindir)"
	@echo "securedir=$(securedir)"
	@echo "man1dir=$(man1dir)"
	@echo "man8dir=$(man8dir)"
	@echo "docdir=$(docdir)"
	@echo "datadir=$(datadir)"
	@echo "libdir=$(libdir)"
	@echo "sysconfdir=$(sysconfdir)"
	@echo "systemdsystemunitdir=$(systemdsystemunitdir)"
.PHONY: print-install-dirs
