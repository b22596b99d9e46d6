/*
 * palmares serve DB [--listen HOST:PORT] [--base-url URL] [--results FILE]
 *                   [--cert FILE --key FILE]
 * The web front of an online campaign (issue 11, docs/web.md): starts the
 * HTTP server of server/http.h on the campaign file and answers until
 * SIGINT or SIGTERM, then stops cleanly (requests in flight end first).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

#include "campaign.h"
#include "http.h"

static const char usage[] =
	"usage: palmares serve DB [--listen HOST:PORT] [--base-url URL] [--results RESULTS]\n"
	"                         [--threads N] [--cert CERT.pem --key KEY.pem]\n"
	"Serves the campaign file DB (made by palmares campaign init) on HOST:PORT\n"
	"(default 127.0.0.1:8080). URL: the public address behind a reverse proxy\n"
	"(https://... makes the session cookie Secure). RESULTS: the published results\n"
	"file that /verify checks codes against. CERT.pem, KEY.pem: serve HTTPS itself\n"
	"(a PEM certificate chain and its unencrypted private key; cookies get Secure);\n"
	"a reverse proxy doing HTTPS is the other way. Ctrl-C stops it.\n"
	"Exit status: 0 stopped, 2 usage error or a file that cannot be read.\n";

enum { LISTEN, BASE_URL, RESULTS, THREADS, CERT, KEY };

static const struct cli_option options[] = {
	{"--listen", LISTEN, 1},   {"--base-url", BASE_URL, 1}, {"--results", RESULTS, 1},
	{"--threads", THREADS, 1}, {"--cert", CERT, 1},         {"--key", KEY, 1},
};

struct serve_args {
	http_config cfg;
	const char *threads;
};

static int on_option(void *ctx, int id, const char *name, const char *val)
{
	struct serve_args *a = ctx;
	(void)name;
	switch (id) {
	case LISTEN: a->cfg.listen = val; break;
	case BASE_URL: a->cfg.base_url = val; break;
	case RESULTS: a->cfg.results_path = val; break;
	case CERT: a->cfg.cert_path = val; break;
	case KEY: a->cfg.key_path = val; break;
	default: a->threads = val; break;
	}
	return 0;
}

static int on_argument(void *ctx, const char *arg)
{
	struct serve_args *a = ctx;
	if (a->cfg.db_path) {
		cli_error("serve: unexpected argument \"%s\"", arg);
		cli_usage(usage, 0);
		return -1;
	}
	a->cfg.db_path = arg;
	return 0;
}

cli_status cmd_serve(int argc, char **argv)
{
	struct serve_args a;
	char err[1024];
	http_server *srv;
	sigset_t set;
	int sig;
	memset(&a, 0, sizeof a);
	struct cli_parser parser = {"serve", usage,     options,     sizeof options / sizeof options[0],
				    0,       on_option, on_argument, &a};
	cli_parse_result parsed = cli_parse_options(&parser, argc, argv);
	if (parsed != CLI_PARSED)
		return parsed == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	if (!a.cfg.db_path) {
		cli_error("serve needs the campaign file");
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	if (a.threads) {
		char *end;
		long n = strtol(a.threads, &end, 10);
		if (*end || end == a.threads || n < 1 || n > 256) {
			cli_error("serve: --threads is a number from 1 to 256, not \"%s\"", a.threads);
			return CLI_FAILED;
		}
		a.cfg.threads = (unsigned)n;
	}
	/* Checked before the store opens it: store_open() would migrate some
	 * other SQLite database into a campaign's schema. */
	if (campaign_check_file(a.cfg.db_path, err, sizeof err) != 0) {
		cli_error("serve: %s", err);
		return CLI_FAILED;
	}
	/* The daemon's threads inherit this mask: the signals reach sigwait() only. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (http_start(&a.cfg, &srv, err, sizeof err) != 0) {
		cli_error("serve: %s", err);
		return CLI_FAILED;
	}
	cli_note("serve: %s on %s (Ctrl-C stops)", a.cfg.db_path, http_base_url(srv));
	sigwait(&set, &sig);
	http_stop(srv);
	cli_note("serve: stopped");
	return CLI_OK;
}
