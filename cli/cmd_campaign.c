/*
 * palmares campaign init DB --rubric RUBRIC --towns TOWNS.csv [--jurors JURORS.csv]
 * palmares campaign links DB
 * palmares campaign export DB -o DIR
 * palmares campaign backup DB OUT.db [--force]
 * The online campaign's file (docs/web.md): init validates the
 * rubric with the library, creates the store with the towns, jurors and the
 * organizer, and prints the organizer's one-time login link; links prints a
 * new link for every person as CSV (only hashes are stored, so listing the
 * links means making new ones); export writes the files `palmares score`
 * reads (server/export.h); backup copies the file while a server runs
 * (campaign_backup). The store and links come from server/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"

#include "auth.h"
#include "campaign.h"
#include "export.h"
#include "http.h"
#include "links.h"
#include "store.h"

static const char usage[] =
	"usage: palmares campaign init DB --rubric RUBRIC --towns TOWNS.csv [--jurors JURORS.csv]\n"
	"                              [--organizer-email EMAIL] [--base-url URL]\n"
	"                              [--dossiers FILE]... [--open-submission]\n"
	"       palmares campaign links DB [--base-url URL]\n"
	"       palmares campaign export DB -o DIR\n"
	"       palmares campaign backup DB OUT.db [--force]\n"
	"init creates the campaign file DB (SQLite) from the rubric, the towns (town_id,\n"
	"town_name, email and the town's attributes) and the jurors file of assign, then\n"
	"prints the organizer's one-time login link. --dossiers stores the answers of\n"
	"dossier files (CSV, JSON: what palmares check reads) as their towns' drafts;\n"
	"--open-submission opens the submission phase now. links prints a new invitation\n"
	"link for every person as CSV (role,id,name,email,link). URL: the address of\n"
	"palmares serve (default http://127.0.0.1:8080). export writes rubric.json,\n"
	"dossiers.jsonl, marks.csv, overrides.csv, assignments.csv and jurors.csv into\n"
	"DIR (new, empty, or an earlier export): the files palmares score reads. backup\n"
	"copies DB to OUT.db while palmares serve runs; an existing OUT.db is replaced\n"
	"only with --force.\n"
	"Exit status: 0 done, 2 usage error or a file that cannot be read or written.\n";

enum { RUBRIC, TOWNS, JURORS, ORGANIZER_EMAIL, BASE_URL, OUT, FORCE, DOSSIERS, OPEN };

static const struct cli_option options[] = {
	{"--rubric", RUBRIC, 1},     {"--towns", TOWNS, 1},
	{"--jurors", JURORS, 1},     {"--organizer-email", ORGANIZER_EMAIL, 1},
	{"--base-url", BASE_URL, 1}, {"-o", OUT, 1},
	{"--force", FORCE, 0},       {"--dossiers", DOSSIERS, 1},
	{"--open-submission", OPEN, 0},
};

struct campaign_args {
	const char *sub, *db, *rubric, *towns, *jurors, *email, *base;
	const char *out, *backup; /* export's -o DIR; backup's OUT.db */
	int force, open;
	const char **dossiers; /* init's --dossiers files (argv's strings) */
	size_t ndossiers;
};

static int on_option(void *ctx, int id, const char *name, const char *val)
{
	struct campaign_args *a = ctx;
	(void)name;
	switch (id) {
	case RUBRIC: a->rubric = val; break;
	case TOWNS: a->towns = val; break;
	case JURORS: a->jurors = val; break;
	case ORGANIZER_EMAIL: a->email = val; break;
	case OUT: a->out = val; break;
	case FORCE: a->force = 1; break;
	case OPEN: a->open = 1; break;
	case DOSSIERS: a->dossiers[a->ndossiers++] = val; break;
	default: a->base = val; break;
	}
	return 0;
}

static int on_argument(void *ctx, const char *arg)
{
	struct campaign_args *a = ctx;
	if (a->db && strcmp(a->sub, "backup") == 0 && !a->backup) {
		a->backup = arg;
		return 0;
	}
	if (a->db) {
		cli_error("campaign %s: unexpected argument \"%s\"", a->sub, arg);
		cli_usage(usage, 0);
		return -1;
	}
	a->db = arg;
	return 0;
}

/* The base URL without its final '/'; NULL (said) unless http(s). */
static const char *base_of(const char *base, char *buf, size_t len)
{
	size_t n;
	if (!base)
		base = "http://127.0.0.1:8080";
	if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0) {
		cli_error("campaign: --base-url \"%s\" is not an http:// or https:// URL", base);
		return NULL;
	}
	n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	if (n >= len) {
		cli_error("campaign: --base-url is too long");
		return NULL;
	}
	memcpy(buf, base, n);
	buf[n] = 0;
	return buf;
}

static void remove_db(const char *db)
{
	char path[4096];
	unlink(db);
	snprintf(path, sizeof path, "%s-wal", db);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", db);
	unlink(path);
}

static cli_status init(const struct campaign_args *a, const char *base)
{
	char err[1024], url[LINKS_URL_SIZE];
	store *s = NULL;
	int64_t organizer, now = (int64_t)time(NULL);
	int status = PAL_OK;
	if (!a->rubric || !a->towns) {
		cli_error("campaign init needs --rubric and --towns");
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	if (access(a->db, F_OK) == 0) {
		cli_error("campaign init: \"%s\" exists already: the campaign file is new", a->db);
		return CLI_FAILED;
	}
	pal_diags *d = pal_diags_new();
	pal_rubric *r = d ? pal_rubric_load(a->rubric, d, &status) : NULL;
	if (d)
		pal_diags_print(d, 0, stderr);
	pal_rubric_free(r);
	pal_diags_free(d);
	if (!d || !r || status != PAL_OK) {
		cli_error("campaign init: the rubric \"%s\" has errors: no campaign created", a->rubric);
		return CLI_FAILED;
	}
	if (auth_init() != AUTH_OK) {
		cli_error("campaign init: libsodium could not start");
		return CLI_FAILED;
	}
	if (store_open(a->db, STORE_CREATE, &s, err, sizeof err) != STORE_OK) {
		cli_error("campaign init: %s: %s", a->db, err);
		return CLI_FAILED;
	}
	campaign_files f = {a->rubric, a->towns, a->jurors, NULL, a->email};
	if (campaign_create(s, &f, now, &organizer, err, sizeof err) != 0) {
		cli_error("campaign init: %s", err);
		store_close(s);
		remove_db(a->db);
		return CLI_FAILED;
	}
	if (a->ndossiers) {
		size_t imported = 0;
		int ret = (d = pal_diags_new()) ? campaign_import(s, a->dossiers, a->ndossiers, now, d, &imported,
								  err, sizeof err)
						: (snprintf(err, sizeof err, "out of memory"), -1);
		if (d)
			pal_diags_print(d, 0, stderr);
		pal_diags_free(d);
		if (ret != 0) {
			cli_error("campaign init: %s: no campaign created", err);
			store_close(s);
			remove_db(a->db);
			return CLI_FAILED;
		}
		cli_note("campaign init: %zu dossier%s imported as drafts", imported, imported == 1 ? "" : "s");
	}
	if (a->open && store_phase_set(s, PHASE_SUBMISSION, now, 0, now) != STORE_OK) {
		cli_error("campaign init: cannot open the submission phase: %s", store_errmsg(s));
		store_close(s);
		remove_db(a->db);
		return CLI_FAILED;
	}
	if (links_issue(s, organizer, base, now, HTTP_INVITATION_TTL, url) != STORE_OK) {
		cli_error("campaign init: cannot make the organizer's link: %s", store_errmsg(s));
		store_close(s);
		remove_db(a->db);
		return CLI_FAILED;
	}
	store_close(s);
	cli_note("campaign init: %s created; the organizer's login link (works once, for 30 days):", a->db);
	printf("%s\n", url);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

static cli_status links(const struct campaign_args *a, const char *base)
{
	char err[1024];
	store *s = NULL;
	store_status st;
	size_t len;
	if (auth_init() != AUTH_OK) {
		cli_error("campaign links: libsodium could not start");
		return CLI_FAILED;
	}
	if (campaign_check_file(a->db, err, sizeof err) != 0) {
		cli_error("campaign links: %s", err);
		return CLI_FAILED;
	}
	if (store_open(a->db, 0, &s, err, sizeof err) != STORE_OK) {
		cli_error("campaign links: %s: %s", a->db, err);
		return CLI_FAILED;
	}
	char *csv = links_csv(s, base, (int64_t)time(NULL), HTTP_INVITATION_TTL, &len, &st);
	if (!csv) {
		cli_error("campaign links: %s: %s", a->db, store_errmsg(s));
		store_close(s);
		return CLI_FAILED;
	}
	store_close(s);
	fwrite(csv, 1, len, stdout);
	free(csv);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

static cli_status export(const struct campaign_args *a)
{
	char err[1024];
	store *s = NULL;
	size_t towns = 0;
	if (!a->out) {
		cli_error("campaign export needs -o DIR, the folder to write");
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	if (campaign_check_file(a->db, err, sizeof err) != 0 ||
	    store_open(a->db, 0, &s, err, sizeof err) != STORE_OK) {
		cli_error("campaign export: %s", err);
		return CLI_FAILED;
	}
	if (export_campaign(s, a->out, &towns, err, sizeof err) != 0) {
		if (strcmp(err, "holds no campaign") == 0)
			cli_error("campaign export: %s: holds no campaign", a->db);
		else
			cli_error("campaign export: %s", err);
		store_close(s);
		return CLI_FAILED;
	}
	store_close(s);
	cli_note("campaign export: %zu town%s written to %s", towns, towns == 1 ? "" : "s", a->out);
	return CLI_OK;
}

static cli_status backup(const struct campaign_args *a)
{
	char err[1024];
	if (!a->backup) {
		cli_error("campaign backup needs the copy's file name: backup DB OUT.db");
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	if (auth_init() != AUTH_OK) {
		cli_error("campaign backup: libsodium could not start");
		return CLI_FAILED;
	}
	if (campaign_backup(a->db, a->backup, a->force, err, sizeof err) != 0) {
		cli_error("campaign backup: %s", err);
		return CLI_FAILED;
	}
	cli_note("campaign backup: %s copied to %s (integrity checked)", a->db, a->backup);
	return CLI_OK;
}

static cli_status run_sub(struct campaign_args *ap, size_t sub, int argc, char **argv);

cli_status cmd_campaign(int argc, char **argv)
{
	struct campaign_args a;
	memset(&a, 0, sizeof a);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cli_usage(usage, 1);
		return CLI_OK;
	}
	static const char *const subs[] = {"init", "links", "export", "backup"};
	size_t sub = 0;
	while (argc >= 2 && sub < 4 && strcmp(argv[1], subs[sub]) != 0)
		sub++;
	if (argc < 2 || sub == 4) {
		if (argc < 2)
			cli_error("campaign needs init, links, export or backup");
		else
			cli_error("campaign: unknown subcommand \"%s\": init, links, export or backup", argv[1]);
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	a.sub = argv[1];
	a.dossiers = calloc((size_t)argc, sizeof *a.dossiers); /* at most one per argument */
	if (!a.dossiers) {
		cli_error("campaign: out of memory");
		return CLI_FAILED;
	}
	cli_status ret = run_sub(&a, sub, argc, argv);
	free(a.dossiers);
	return ret;
}

/* The subcommand sub (an index of subs) with its options. */
static cli_status run_sub(struct campaign_args *ap, size_t sub, int argc, char **argv)
{
	struct campaign_args a = *ap;
	char base[512];
	struct cli_parser parser = {"campaign", usage,     options,     sizeof options / sizeof options[0],
				    0,          on_option, on_argument, &a};
	cli_parse_result parsed = cli_parse_options(&parser, argc - 1, argv + 1);
	if (parsed != CLI_PARSED)
		return parsed == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	if (!a.db) {
		cli_error("campaign %s needs the campaign file", a.sub);
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	if ((sub >= 1 && (a.ndossiers || a.open)) ||
	    (sub >= 2 && (a.base || a.rubric || a.towns || a.jurors || a.email)) || (sub != 2 && a.out) ||
	    (sub != 3 && a.force)) {
		cli_error("campaign %s: an option of another subcommand was given", a.sub);
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	if (sub == 2)
		return export(&a);
	if (sub == 3)
		return backup(&a);
	if (!base_of(a.base, base, sizeof base))
		return CLI_FAILED;
	return sub == 0 ? init(&a, base) : links(&a, base);
}
