/*
 * The control side of tests/lib/faultshim.c (an LD_PRELOAD library). Test programs
 * look these functions up with dlsym(RTLD_DEFAULT, ...): pamtest_preload()
 * re-executes the program with the shim preloaded when they are missing.
 */
#ifndef PAM_JWT_FAULTSHIM_H
#define PAM_JWT_FAULTSHIM_H

enum faultshim_family {
	FAULTSHIM_OFF,
	FAULTSHIM_ALLOC,	/* malloc, calloc, realloc, strdup, strndup */
	FAULTSHIM_IO,		/* open, openat, read, getpwnam_r */
};

/* From now on, count the calls of family f and fail the nth (0: none). */
void faultshim_arm(enum faultshim_family f, long n);

/* Stops counting; returns how many calls of the family were made while armed. */
long faultshim_disarm(void);

/* getpwnam_r(from) answers with to's entry (NULL: stop), as a misbehaving NSS would. */
void faultshim_swap_user(const char *from, const char *to);


#ifdef FAULTSHIM_PATH
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The shim's control functions, once this program runs with the shim
 * preloaded. When it does not, re-executes it with FAULTSHIM_PATH (a build-time
 * define) added to LD_PRELOAD; returns false (after a TAP skip line) when that
 * cannot work: under the sanitizers (their runtime must come first) or valgrind.
 */
struct faultshim {
	void (*arm)(enum faultshim_family f, long n);
	long (*disarm)(void);
	void (*swap_user)(const char *from, const char *to);
};

static inline int faultshim_load(char **argv, struct faultshim *fs)
{
	const char *pre = getenv("LD_PRELOAD");
	char *value;

	fs->arm = (void (*)(enum faultshim_family, long))dlsym(RTLD_DEFAULT, "faultshim_arm");
	fs->disarm = (long (*)(void))dlsym(RTLD_DEFAULT, "faultshim_disarm");
	fs->swap_user = (void (*)(const char *, const char *))dlsym(RTLD_DEFAULT,
								    "faultshim_swap_user");
	if (fs->arm != NULL && fs->disarm != NULL && fs->swap_user != NULL)
		return 1;
	if (getenv("PAM_JWT_TEST_PRELOAD") != NULL || getenv("PAM_JWT_TEST_WRAPPER") != NULL) {
		printf("1..0 # SKIP the fault shim cannot be preloaded under the sanitizers or valgrind\n");
		return 0;
	}
	if (getenv("FAULTSHIM_REEXEC") != NULL) {
		printf("Bail out! %s is preloaded but its functions are missing\n", FAULTSHIM_PATH);
		exit(99);
	}
	if (asprintf(&value, "%s%s%s", FAULTSHIM_PATH, pre ? " " : "", pre ? pre : "") < 0)
		exit(99);
	setenv("LD_PRELOAD", value, 1);
	setenv("FAULTSHIM_REEXEC", "1", 1);
	execv("/proc/self/exe", argv);
	perror("execv");
	exit(99);
}
#endif

#endif
