/*
 * A fault-injection shim for the tests, loaded with LD_PRELOAD: once armed,
 * it fails the Nth call of one family (allocations: malloc, calloc, realloc,
 * strdup, strndup; or I/O: open, openat, read, getpwnam_r) and counts the
 * calls of that family; it can also make getpwnam_r answer for another user,
 * as a case-insensitive or buggy NSS module would. The test program finds the
 * control functions with dlsym(). Unarmed, every call goes straight through.
 */
/*
 * hiredis's pkg-config flags bring -D_FILE_OFFSET_BITS=64, under which glibc
 * declares open64 and openat64 as aliases of open and openat: the shim defines
 * those itself, so it is built without it (on 64-bit hosts the module calls
 * the same open and openat either way).
 */
#undef _FILE_OFFSET_BITS
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "faultshim.h"

/* glibc's own entry points: no dlsym (which allocates) needed to reach them. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);

static __thread int busy;	/* our own calls (getpwnam_r's) are not counted */
static enum faultshim_family family = FAULTSHIM_OFF;
static long target, calls;
static char swap_from[64], swap_to[64];

void faultshim_arm(enum faultshim_family f, long n)
{
	calls = 0;
	target = n;
	__atomic_store_n(&family, f, __ATOMIC_SEQ_CST);
}

long faultshim_disarm(void)
{
	__atomic_store_n(&family, FAULTSHIM_OFF, __ATOMIC_SEQ_CST);
	return calls;
}

void faultshim_swap_user(const char *from, const char *to)
{
	swap_from[0] = '\0';
	if (from == NULL || to == NULL || strlen(from) >= sizeof(swap_from) ||
	    strlen(to) >= sizeof(swap_to))
		return;
	strcpy(swap_to, to);
	strcpy(swap_from, from);
}

/*
 * Whether this call of family f is the one to fail. If so, says on stderr
 * which library made it: libgcrypt does not survive its own allocations
 * failing, and the test tells those runs apart by this line.
 */
#define fail_now(f) fail_call((f), __builtin_return_address(0))

static int fail_call(enum faultshim_family f, void *caller)
{
	Dl_info info;

	if (busy || __atomic_load_n(&family, __ATOMIC_SEQ_CST) != f ||
	    __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST) != target)
		return 0;
	if (dladdr(caller, &info) != 0 && info.dli_fname != NULL) {
		const char *base = strrchr(info.dli_fname, '/');

		base = base != NULL ? base + 1 : info.dli_fname;
		if (write(2, "faultshim: failed a call from ", 30) < 0 ||
		    write(2, base, strlen(base)) < 0 || write(2, "\n", 1) < 0)
			return 1;
	}
	return 1;
}

void *malloc(size_t n)
{
	if (fail_now(FAULTSHIM_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	if (fail_now(FAULTSHIM_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	if (fail_now(FAULTSHIM_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}

static char *copy(const char *s, size_t len, void *caller)
{
	char *d;

	if (fail_call(FAULTSHIM_ALLOC, caller)) {
		errno = ENOMEM;
		return NULL;
	}
	d = __libc_malloc(len + 1);
	if (d != NULL) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

char *strndup(const char *s, size_t n)
{
	return copy(s, strnlen(s, n), __builtin_return_address(0));
}

char *strdup(const char *s)
{
	return copy(s, strlen(s), __builtin_return_address(0));
}

static int open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, int) : 0;
}

/* open and openat, failing when the countdown says so (too many open files). */
static int faulty_openat(int dir, const char *path, int flags, int mode)
{
	if (fail_now(FAULTSHIM_IO)) {
		errno = EMFILE;
		return -1;
	}
	return (int)syscall(SYS_openat, dir, path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return faulty_openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return faulty_openat(dir, path, flags, mode);
}

int openat64(int dir, const char *path, int flags, ...) __attribute__((alias("openat")));

ssize_t read(int fd, void *buf, size_t n)
{
	if (fail_now(FAULTSHIM_IO)) {
		errno = EIO;
		return -1;
	}
	return syscall(SYS_read, fd, buf, n);
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t n, struct passwd **res)
{
	static int (*next)(const char *, struct passwd *, char *, size_t, struct passwd **);
	int rc;

	if (fail_now(FAULTSHIM_IO)) {
		*res = NULL;
		return EIO;
	}
	busy++;
	if (next == NULL)
		next = (int (*)(const char *, struct passwd *, char *, size_t, struct passwd **))
			dlsym(RTLD_NEXT, "getpwnam_r");
	if (swap_from[0] != '\0' && strcmp(name, swap_from) == 0)
		name = swap_to;
	rc = next != NULL ? next(name, pw, buf, n, res) : ENOSYS;
	busy--;
	return rc;
}
