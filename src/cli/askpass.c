/*
 * pam-jwt askpass PROMPT: the answer to one of pam_jwt's prompts, for programs
 * that run a helper once per prompt with the prompt as its argument (ssh's
 * SSH_ASKPASS, sudo -A's SUDO_ASKPASS). Those run the helper by its path with
 * no other argument: installed as pam-jwt-askpass (a link to pam-jwt), it
 * takes its settings from the environment.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "askpass_dpop.h"
#include "cli.h"
#include "jwt_config.h"
#include "jwt_mem.h"
#include "jwt_parts.h"
#include "jwt_token.h"
#include "split.h"

static const char usage[] =
	"usage: pam-jwt askpass [--command CMD] [--prompt TEXT] PROMPT\n"
	"Prints the answer to pam_jwt's prompt PROMPT: the whole token at the first\n"
	"prompt when it is 500 bytes or shorter, else part 1 of M, and part k at\n"
	"\"Token (part k of M): \". Any other prompt gets no answer (exit 1).\n"
	"A bound token's challenge, \"DPoP proof for pam://HOST/SERVICE (nonce N): \",\n"
	"gets a DPoP proof by the key in $PAM_JWT_DPOP_KEY, else dpop_key beside the\n"
	"token file, when HOST is the host askpass establishes itself: $PAM_JWT_HOST,\n"
	"else the destination of the ssh that runs it (as ssh -G resolves it), else\n"
	"this host (sudo -A). A challenge naming another host gets no proof (exit 1).\n"
	"Set as SSH_ASKPASS (with SSH_ASKPASS_REQUIRE=force) or SUDO_ASKPASS (sudo -A)\n"
	"through the link pam-jwt-askpass, which takes its settings from the environment.\n"
	"  --command CMD  run CMD (/bin/sh -c) and use the token it prints\n"
	"                 (environment: PAM_JWT_TOKEN_COMMAND)\n"
	"  --prompt TEXT  the module's prompt= (environment: PAM_JWT_PROMPT;\n"
	"                 default \"" JWT_DEFAULT_PROMPT "\")\n"
	"The token file: $PAM_JWT_TOKEN_FILE, else $XDG_CACHE_HOME/pam-jwt/token, else\n"
	"~/.cache/pam-jwt/token; yours, a regular file, mode 0600 (no group or other bits).\n";

/* Room for a token one byte over the limit, and its newline. */
#define READ_MAX (JWT_TOKEN_MAX + 2)

static char *token_path(void)
{
	const char *env = getenv("PAM_JWT_TOKEN_FILE"), *base;
	char *path;

	if (env != NULL && *env != '\0')
		return strdup(env);
	base = getenv("XDG_CACHE_HOME");
	if (base != NULL && *base == '/') {
		if (asprintf(&path, "%s/pam-jwt/token", base) < 0)
			return NULL;
		return path;
	}
	base = getenv("HOME");
	if (base == NULL || *base != '/') {
		cli_error("askpass: neither PAM_JWT_TOKEN_FILE, XDG_CACHE_HOME nor HOME is set");
		return NULL;
	}
	if (asprintf(&path, "%s/.cache/pam-jwt/token", base) < 0)
		return NULL;
	return path;
}

/* Reads all of fd into buf (READ_MAX + 1 bytes); false when more than READ_MAX. */
static bool read_all(int fd, char *buf, size_t *len)
{
	size_t n = 0;

	for (;;) {
		ssize_t r = read(fd, buf + n, READ_MAX + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return false;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > READ_MAX)
			return false;
	}
	*len = n;
	return true;
}

static bool read_file(char *buf, size_t *len)
{
	char *path = token_path();
	struct stat st;
	bool good = false;
	int fd;

	if (path == NULL)
		return false;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		cli_error("askpass: cannot open the token file %s: %s", path, strerror(errno));
	} else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		cli_error("askpass: the token file %s is not a regular file", path);
	} else if (st.st_uid != getuid()) {
		cli_error("askpass: the token file %s belongs to uid %lu, not to you (uid %lu)", path,
			  (unsigned long)st.st_uid, (unsigned long)getuid());
	} else if ((st.st_mode & 077) != 0) {
		cli_error("askpass: the token file %s has mode %04o: others may read it; "
			  "chmod 600 it", path, (unsigned)(st.st_mode & 07777));
	} else if (!read_all(fd, buf, len)) {
		cli_error("askpass: cannot read the token file %s whole (at most %d bytes)", path,
			  JWT_TOKEN_MAX);
	} else {
		good = true;
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return good;
}

static bool run_command(const char *cmd, char *buf, size_t *len)
{
	int fds[2], status;
	bool good;
	pid_t pid;

	if (pipe(fds) != 0) {
		cli_error("askpass: pipe: %s", strerror(errno));
		return false;
	}
	pid = fork();
	if (pid < 0) {
		cli_error("askpass: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	if (pid == 0) {
		/* The command's standard output is the pipe; its input is none of ours. */
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, 0) < 0 || dup2(fds[1], 1) < 0)
			_exit(127);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	good = read_all(fds[0], buf, len);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	if (!good)
		cli_error("askpass: the command printed more than a token (at most %d bytes)",
			  JWT_TOKEN_MAX);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		cli_error("askpass: the token command failed (status %d)",
			  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else
		return true;
	return false;
}

/* The token text: one optional newline (or "\r\n") at the end, nothing else but visible ASCII. */
static bool check_token(char *buf, size_t *len)
{
	if (*len > 0 && buf[*len - 1] == '\n')
		(*len)--;
	if (*len > 0 && buf[*len - 1] == '\r')
		(*len)--;
	buf[*len] = '\0';
	if (*len == 0) {
		cli_error("askpass: the token is empty");
		return false;
	}
	if (*len > JWT_TOKEN_MAX) {
		cli_error("askpass: the token is over %d bytes: pam_jwt refuses it", JWT_TOKEN_MAX);
		return false;
	}
	for (size_t i = 0; i < *len; i++)
		if (buf[i] <= ' ' || buf[i] > '~') {
			cli_error("askpass: the token holds a space, a line break or a non-ASCII byte");
			return false;
		}
	return true;
}

static bool get_token(const char *command, char *buf, size_t *len)
{
	return (command != NULL ? run_command(command, buf, len) : read_file(buf, len)) &&
	       check_token(buf, len);
}

/* Prints the answer for prompt k of m (k = 0: the first prompt). */
static bool answer(const char *tok, size_t len, unsigned k, unsigned m)
{
	size_t body;
	unsigned mine;

	if (k == 0 && len <= JWT_PART_SIZE_MAX) {
		printf("%s\n", tok);
		return true;
	}
	if (!jwt_parts_layout(len, JWT_PART_SIZE_MAX, &mine, &body)) {
		cli_error("askpass: the token is too long for %d parts", JWT_PARTS_MAX);
		return false;
	}
	if (k == 0) {
		k = 1;
	} else if (m != mine) {
		cli_error("askpass: the prompt asks for part %u of %u, but this token has %u parts "
			  "(did it change since part 1?)", k, m, mine);
		return false;
	}
	cli_part_print(stdout, tok, len, body, k, mine);
	return true;
}

/* The challenge of a bound token: a proof for the token askpass gives. */
static int dpop_answer(const char *asked, const char *command)
{
	char *buf = malloc(READ_MAX + 1), *path = token_path();
	size_t len = 0;
	int ret = CLI_FAILED;

	if (buf == NULL || path == NULL)
		cli_error("askpass: out of memory, or no token file");
	else if (get_token(command, buf, &len))
		ret = askpass_dpop_challenge(asked, buf, len, path);
	if (buf != NULL)
		jwt_wipe_free(buf, READ_MAX + 1);
	free(path);
	if (fflush(stdout) != 0)
		ret = CLI_FAILED;
	return ret;
}

int cli_askpass(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "command", required_argument, NULL, 'c' },
		{ "prompt", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *command = getenv("PAM_JWT_TOKEN_COMMAND"), *prompt = getenv("PAM_JWT_PROMPT");
	char *buf;
	size_t len = 0;
	unsigned k, m;
	bool good, part;
	int c;

	/* No stdio buffer keeps a copy of the token: only ours, which is wiped. */
	(void)setvbuf(stdout, NULL, _IONBF, 0);
	/* "+": options stop at the prompt, which may start with '-'. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': command = optarg; break;
		case 'p': prompt = optarg; break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: fputs(usage, stderr); return CLI_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage, "askpass wants one PROMPT");
	if (prompt == NULL || *prompt == '\0')
		prompt = JWT_DEFAULT_PROMPT;
	if (command != NULL && *command == '\0')
		command = NULL;
	if (askpass_dpop_prompt(argv[optind], &part))
		return part ? askpass_dpop_part(argv[optind]) : dpop_answer(argv[optind], command);
	if (!jwt_parts_prompt_match(prompt, argv[optind], &k, &m)) {
		cli_error("askpass: not pam_jwt's prompt (\"%s\"), so no token is given: \"%.80s\"",
			  prompt, argv[optind]);
		return CLI_FAILED;
	}
	buf = malloc((READ_MAX + 1));
	if (buf == NULL) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	good = get_token(command, buf, &len) && answer(buf, len, k, m);
	jwt_wipe_free(buf, (READ_MAX + 1));
	if (fflush(stdout) != 0)
		good = false;
	return good ? CLI_OK : CLI_FAILED;
}
