/* pam-jwt keygen: a fresh key file, never readable by anyone else, never half-written. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gcrypt.h>

#include "b64url.h"
#include "cli.h"
#include "jwt_file.h"
#include "jwt_sig.h"

static const char usage[] =
	"usage: pam-jwt keygen --out PATH [--alg ALG] [--force]\n"
	"Writes a new random key for ALG (default HS256) to PATH, mode 0600.\n"
	"The key is as many random bytes as the algorithm's hash (HS256: 32),\n"
	"written as base64url text without a newline; the module uses the text itself\n"
	"as the HMAC key, so give an issuer the file's content as it is.\n"
	"  --force   replace an existing PATH\n";

static bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/*
 * Writes text into a fresh 0600 file beside path, then moves it into place:
 * link() refuses an existing path atomically, rename() replaces it (--force).
 */
static int install_file(const char *path, const char *text, bool force)
{
	char *tmp = NULL;
	int fd, ret = CLI_FAILED;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	fd = mkostemp(tmp, O_CLOEXEC);	/* O_EXCL, mode 0600 */
	if (fd < 0) {
		cli_error("cannot create a file beside %s: %s", path, strerror(errno));
		free(tmp);
		return CLI_FAILED;
	}
	if (fchmod(fd, 0600) != 0 || !write_all(fd, text, strlen(text)) || fsync(fd) != 0) {
		cli_error("cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) != 0) {
		cli_error("cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (force ? rename(tmp, path) != 0 : link(tmp, path) != 0) {
		if (errno == EEXIST)
			cli_error("%s exists; use --force to replace it", path);
		else
			cli_error("cannot create %s: %s", path, strerror(errno));
		goto out;
	}
	ret = CLI_OK;
out:
	if (ret != CLI_OK || !force)
		unlink(tmp);
	free(tmp);
	return ret;
}

int cli_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "alg", required_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	enum jwt_alg alg = JWT_ALG_HS256;
	const struct jwt_alg_info *info;
	bool force = false;
	struct jwt_err err;
	unsigned char *raw;
	char *text;
	size_t n;
	int c, ret;

	while ((c = getopt_long(argc, argv, "ho:a:f", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'a':
			if (!cli_alg_parse(optarg, &alg))
				return CLI_USAGE;
			break;
		case 'f': force = true; break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: fputs(usage, stderr); return CLI_USAGE;
		}
	}
	if (out == NULL)
		return cli_usage_error(usage, "--out PATH is required");
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument \"%s\"", argv[optind]);
	info = jwt_alg_info(alg);
	if (info->family != JWT_FAMILY_HMAC) {
		cli_error("keygen makes HMAC keys only, not %s keys", info->name);
		return CLI_USAGE;
	}
	if (jwt_crypto_init(&err) != JWT_OK) {
		cli_error("%s", err.reason);
		return CLI_FAILED;
	}
	/* As much randomness as the hash is long (RFC 7518 §3.2), as text the file can hold. */
	n = info->min_key_len;
	raw = malloc(n);
	text = malloc(B64URL_ENCODED_LEN(n) + 1);
	if (raw == NULL || text == NULL) {
		cli_error("out of memory");
		ret = CLI_FAILED;
		goto out;
	}
	gcry_randomize(raw, n, GCRY_VERY_STRONG_RANDOM);
	b64url_encode(raw, n, text);
	ret = install_file(out, text, force);
	if (ret == CLI_OK)
		printf("wrote a new %s key (%zu random bytes) to %s\n", info->name, n, out);
out:
	jwt_wipe_free(raw, n);
	jwt_wipe_free(text, B64URL_ENCODED_LEN(n) + 1);
	return ret;
}
