/*
 * palmares verify RESULTS CODE: which certificate of these results carries
 * CODE (SPEC §8, docs/verification-code.md). Exit 0 when one does, 1 when
 * none does, 2 for a usage error or a code that is not 12 Crockford symbols.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "docargs.h"

static const char usage[] =
	"usage: palmares verify RESULTS CODE [--lang fr|en] [--secret-file FILE]\n"
	"Prints the town, level and mentions of the certificate that carries CODE\n"
	"(any case, hyphens optional). Codes made with a campaign secret need it.\n";

static void show(const pal_doc_results *r, size_t i, const char *code, const char *lang)
{
	printf(cli_tr("%s: certificate of town %s \"%s\"\n"), code, pal_doc_town_id(r, i),
	       pal_doc_town_name(r, i));
	printf(cli_tr("level: %d (%s)\n"), pal_doc_town_level(r, i), pal_doc_town_level_name(r, i));
	fputs(cli_tr("mentions:"), stdout);
	if (pal_doc_town_mention_count(r, i) == 0)
		printf(" %s", cli_tr("none"));
	for (size_t m = 0; m < pal_doc_town_mention_count(r, i); m++)
		printf("%s %s", m ? ";" : "", pal_doc_town_mention(r, i, m, lang));
	putchar('\n');
}

enum { LANG, SECRET_FILE };

static const struct cli_option options[] = {
	{"--lang", LANG, 1},
	{"--secret-file", SECRET_FILE, 1},
};

struct verify_args {
	const char *pos[2], *lang, *secret_file;
	int npos;
};

static int on_option(void *ctx, int id, const char *name, const char *val)
{
	struct verify_args *v = ctx;
	(void)name;
	if (id == LANG)
		v->lang = val;
	else
		v->secret_file = val;
	return 0;
}

static int on_argument(void *ctx, const char *arg)
{
	struct verify_args *v = ctx;
	if (v->npos == 2) {
		cli_error("%s: unexpected argument \"%s\"", "verify", arg);
		cli_usage(usage, 0);
		return -1;
	}
	v->pos[v->npos++] = arg;
	return 0;
}

cli_status cmd_verify(int argc, char **argv)
{
	struct verify_args v = {{NULL, NULL}, NULL, NULL, 0};
	struct cli_parser parser = {"verify", usage, options, sizeof options / sizeof options[0], 0,
	                            on_option, on_argument, &v};
	const char *const *pos = v.pos, *lang, *secret_file;
	int npos, loaded = PAL_DOC_OK;
	cli_status status = CLI_OK;
	char code[PAL_CODE_SIZE];
	cli_parse_result parsed = cli_parse_options(&parser, argc, argv);
	if (parsed != CLI_PARSED)
		return parsed == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	npos = v.npos;
	lang = v.lang;
	secret_file = v.secret_file;
	if (npos != 2) {
		if (npos)
			cli_error("verify needs a code after the results file");
		else
			cli_error("verify needs a results file and a code");
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	if (pal_doc_code_normalize(pos[1], code) != 0) {
		cli_error("\"%s\" is not a verification code: expected 12 symbols 0-9 A-Z without I, L, O, "
		          "U, e.g. 7KQ2-M9XD-4HRT", pos[1]);
		return CLI_FAILED;
	}
	pal_diags *d = pal_diags_new();
	pal_doc_results *r = d ? pal_doc_results_load(pos[0], d, &loaded) : NULL;
	status = cli_status_of(loaded);
	if (r && secret_file && docargs_key(r, secret_file, d) != 0) {
		pal_doc_results_free(r);
		r = NULL;
		status = CLI_FAILED;
	}
	pal_doc_diags_print(d, 0, stderr);
	if (r) {
		size_t found[8];
		long n = pal_doc_verify(r, code, found, 8);
		for (long k = 0; k < n && k < 8; k++)
			show(r, found[k], code, lang);
		if (n <= 0) {
			printf(cli_tr("%s: no certificate of \"%s\" carries this code\n"), code, pos[0]);
			status = CLI_REJECTED;
		} else {
			status = CLI_OK;
		}
	}
	pal_doc_results_free(r);
	pal_diags_free(d);
	return d ? status : CLI_FAILED;
}
