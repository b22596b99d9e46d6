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

static const char *usage_text(void)
{
	return _("usage: palmares verify RESULTS CODE [--lang fr|en] [--secret-file FILE]\n"
	         "Prints the town, level and mentions of the certificate that carries CODE\n"
	         "(any case, hyphens optional). Codes made with a campaign secret need it.\n");
}

static void show(const pal_doc_results *r, size_t i, const char *code, const char *lang)
{
	printf(_("%s: certificate of town %s \"%s\"\n"), code, pal_doc_town_id(r, i), pal_doc_town_name(r, i));
	printf(_("level: %d (%s)\n"), pal_doc_town_level(r, i), pal_doc_town_level_name(r, i));
	fputs(_("mentions:"), stdout);
	if (pal_doc_town_mention_count(r, i) == 0)
		printf(" %s", _("none"));
	for (size_t m = 0; m < pal_doc_town_mention_count(r, i); m++)
		printf("%s %s", m ? ";" : "", pal_doc_town_mention(r, i, m, lang));
	putchar('\n');
}

int cmd_verify(int argc, char **argv)
{
	const char *pos[2] = {NULL, NULL}, *lang = NULL, *secret_file = NULL;
	int npos = 0, status = EXIT_OK;
	char code[PAL_CODE_SIZE];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text(), stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
			lang = argv[++i];
		} else if (strcmp(argv[i], "--secret-file") == 0 && i + 1 < argc) {
			secret_file = argv[++i];
		} else if (npos < 2 && (argv[i][0] != '-' || argv[i][1] == '\0' || npos == 1)) {
			pos[npos++] = argv[i];
		} else {
			char near[32];
			if (strncmp(argv[i], "--", 2) == 0 &&
			    args_closest_option(argv[i], usage_text(), near, sizeof near))
				fprintf(stderr, _("palmares: error: unknown option \"%s\": did you mean \"%s\"?\n"),
				        argv[i], near);
			else
				fprintf(stderr, _("palmares: error: unexpected argument \"%s\"\n"), argv[i]);
			fputs(usage_text(), stderr);
			return EXIT_USAGE;
		}
	}
	if (npos != 2) {
		fputs(npos ? _("palmares: error: verify needs a code after the results file\n")
		           : _("palmares: error: verify needs a results file and a code\n"), stderr);
		fputs(usage_text(), stderr);
		return EXIT_USAGE;
	}
	if (pal_doc_code_normalize(pos[1], code) != 0) {
		fprintf(stderr, _("palmares: error: \"%s\" is not a verification code: expected 12 symbols "
		                  "0-9 A-Z without I, L, O, U, e.g. 7KQ2-M9XD-4HRT\n"), pos[1]);
		return EXIT_USAGE;
	}
	pal_diags *d = pal_diags_new();
	pal_doc_results *r = d ? pal_doc_results_load(pos[0], d, &status) : NULL;
	if (r && secret_file && docargs_key(r, secret_file, d) != 0) {
		pal_doc_results_free(r);
		r = NULL;
		status = EXIT_USAGE;
	}
	pal_doc_diags_print(d, 0, stderr);
	if (r) {
		size_t found[8];
		long n = pal_doc_verify(r, code, found, 8);
		for (long k = 0; k < n && k < 8; k++)
			show(r, found[k], code, lang);
		if (n <= 0) {
			printf(_("%s: no certificate of \"%s\" carries this code\n"), code, pos[0]);
			status = EXIT_REJECTED;
		} else {
			status = EXIT_OK;
		}
	}
	pal_doc_results_free(r);
	pal_diags_free(d);
	return d ? status : EXIT_USAGE;
}
