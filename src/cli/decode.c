/* pam-jwt decode: a token's header and claims, explicitly unverified. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "input.h"
#include "jwt_mem.h"
#include "output.h"
#include "view.h"

static const char usage[] =
	"usage: pam-jwt decode [--json] [TOKEN]\n"
	"Prints the header and claims of TOKEN (or of the token on standard input)\n"
	"WITHOUT verifying anything. Use pam-jwt verify to check a token.\n"
	"  --json   print one JSON object, with \"verified\": false\n"
	"Exit status: 0, or 1 when the input is not shaped like a JWS.\n";

int cli_decode(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	struct view v;
	char *tok;
	size_t len;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: fputs(usage, stderr); return CLI_USAGE;
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(usage, "more than one token given");
	if (!cli_read_token(optind < argc ? argv[optind] : NULL, &tok, &len))
		return CLI_FAILED;
	view_decode(&v, tok, len);
	/* 1 when this is not even shaped like a JWS, for scripts. */
	rc = v.segments == 3 && v.header.json && v.payload.decoded && v.signature.decoded
		? CLI_OK : CLI_FAILED;
	if (json) {
		json_object *o = out_view_json(&v);

		json_object_object_add(o, "verified", json_object_new_boolean(0));
		out_json_print(o);
	} else {
		puts("UNVERIFIED: decoded only; nothing here is checked.");
		out_view_text(stdout, &v);
	}
	view_free(&v);
	jwt_wipe_free(tok, len + 1);
	return rc;
}
