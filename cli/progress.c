/*
 * The progress line of long runs (issue 5). The library reports progress
 * through a callback (pal_progress_fn, pal_doc_options.progress): phase,
 * units done, total. progress_update() keeps the current phase, its start
 * time and how far it is, and redraws one line on stderr — "\r", the text,
 * then "\033[K" to erase what a longer previous line left — at most every
 * PALMARES_PROGRESS_INTERVAL seconds, never in the run's first three
 * intervals (a run that short needs no progress line).
 *
 * The state is a file-level singleton behind a mutex, on purpose: there is
 * one stderr, every writer to it must be able to erase the line first
 * (progress_clear) without a handle threaded through every command, and
 * the document renderer calls the callback from its worker threads.
 */
#include "progress.h"

#include "message.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_INTERVAL 0.1 /* seconds: at most ten redraws a second */
#define MAX_INTERVAL 60.0
#define ERASE "\033[K"

static struct {
	pthread_mutex_t lock;
	int started, active, shown;
	double start, last_draw, interval;
	size_t columns;
	char phase[32];
	double phase_start;
	uint64_t done, total;
} pg = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* ---- formatting (pure) ---- */

/* What a phase counts. Bytes are shown in MB (10^6) so that the figures stay short. */
struct unit {
	const char *phase, *name;
	double scale;
};

static const struct unit *unit_of(const char *phase)
{
	/* The phases the library sends: engine/csvread.c, score.c, results.c, reports/render.c. */
	static const struct unit units[] = {
		{"reading", "MB", 1e6},
		{"scoring", "dossiers", 1},
		{"writing", "dossiers", 1},
		{"rendering", "towns", 1},
		{"", "", 1},
	};
	size_t i = 0;
	while (units[i].phase[0] && strcmp(units[i].phase, phase) != 0)
		i++;
	return &units[i];
}

/* ref is the total (or v when unknown): under 10 MB, two decimals, so that small files still move. */
static void amount(char *buf, size_t n, uint64_t v, uint64_t ref, const struct unit *u)
{
	if (u->scale > 1)
		snprintf(buf, n, "%.*f", (double)ref < 10 * u->scale ? 2 : 1, (double)v / u->scale);
	else
		snprintf(buf, n, "%" PRIu64, v);
}

/* ", 5120/s", ", 8.1 MB/s", ", 3.5/s": whole numbers once they are large enough to read. */
static void rate_text(char *buf, size_t n, double per_s, const struct unit *u)
{
	double r = per_s / u->scale;
	if (u->scale > 1)
		snprintf(buf, n, ", %.1f %s/s", r, u->name);
	else if (r >= 10)
		snprintf(buf, n, ", %.0f/s", r);
	else
		snprintf(buf, n, ", %.1f/s", r);
}

/* ", 0:06 left", ", 1:02:03 left"; nothing past 99 hours, which is no estimate. */
static void left_text(char *buf, size_t n, double seconds)
{
	if (!(seconds >= 0) || seconds > 99 * 3600.0) {
		buf[0] = '\0';
		return;
	}
	unsigned s = (unsigned)seconds + (seconds > (unsigned)seconds); /* rounded up */
	if (s >= 3600)
		snprintf(buf, n, ", %u:%02u:%02u left", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, n, ", %u:%02u left", s / 60, s % 60);
}

int progress_format(char *buf, size_t n, const char *phase, uint64_t done, uint64_t total,
                    double elapsed)
{
	const struct unit *u = unit_of(phase);
	char d[32], t[40] = "", pct[16] = "", rate[48] = "", left[32] = "";
	amount(d, sizeof d, done, total ? total : done, u);
	if (total) {
		char tv[32];
		amount(tv, sizeof tv, total, total, u);
		snprintf(t, sizeof t, " / %s", tv);
		snprintf(pct, sizeof pct, " (%u%%)",
		         done >= total ? 100u : (unsigned)((double)done * 100.0 / (double)total));
	}
	if (done > 0 && elapsed >= 0.05) {
		double per_s = (double)done / elapsed;
		rate_text(rate, sizeof rate, per_s, u);
		if (total > done)
			left_text(left, sizeof left, (double)(total - done) / per_s);
	}
	return snprintf(buf, n, "%s %s%s%s%s%s%s%s", phase, d, t, u->name[0] ? " " : "", u->name, pct,
	                rate, left);
}

/* ---- the terminal line ---- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* PALMARES_PROGRESS: "0" never, "1" always, anything else: when stderr is a terminal. */
static int wanted(void)
{
	const char *v = getenv("PALMARES_PROGRESS");
	if (v && strcmp(v, "0") == 0)
		return 0;
	if (v && strcmp(v, "1") == 0)
		return 1;
	return isatty(STDERR_FILENO);
}

/* PALMARES_PROGRESS_INTERVAL in seconds; 0 draws on every update (for tests). */
static double interval_from_env(void)
{
	const char *v = getenv("PALMARES_PROGRESS_INTERVAL");
	char *end;
	if (!v || !*v)
		return DEFAULT_INTERVAL;
	errno = 0;
	double s = strtod(v, &end);
	if (errno || end == v || *end || !(s >= 0 && s <= MAX_INTERVAL)) {
		cli_warn("PALMARES_PROGRESS_INTERVAL: expected seconds from 0 to %g, found \"%s\": using "
		         "%g (see docs/progress.md)", MAX_INTERVAL, v, DEFAULT_INTERVAL);
		return DEFAULT_INTERVAL;
	}
	return s;
}

/* The terminal's width, so that the line never wraps ("\r" only returns to the last row). */
static size_t columns(void)
{
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static void clear_locked(void)
{
	if (pg.shown)
		fputs("\r" ERASE, stderr);
	pg.shown = 0;
}

void progress_end(void)
{
	pthread_mutex_lock(&pg.lock);
	clear_locked();
	pg.active = 0;
	pthread_mutex_unlock(&pg.lock);
}

void progress_clear(void)
{
	pthread_mutex_lock(&pg.lock);
	clear_locked();
	pthread_mutex_unlock(&pg.lock);
}

int progress_start(void)
{
	pthread_mutex_lock(&pg.lock);
	if (!pg.started) {
		pg.started = 1;
		pg.active = wanted();
		if (pg.active) {
			pg.interval = interval_from_env();
			pg.columns = columns();
			pg.start = now();
			pg.last_draw = pg.start - pg.interval;
			/* Whatever way the command ends, the prompt must not land after the line. */
			atexit(progress_end);
		}
	}
	int active = pg.active;
	pthread_mutex_unlock(&pg.lock);
	return active;
}

/*
 * A new phase, or the same phase starting again (the next CSV file, done
 * back at 0 or another total), restarts the clock the rate is measured on.
 * Worker threads may report out of order: done never goes back.
 */
static void track(const char *phase, uint64_t done, uint64_t total, double t)
{
	if (strncmp(pg.phase, phase, sizeof pg.phase - 1) != 0 || total != pg.total ||
	    (done == 0 && pg.done > 0)) {
		snprintf(pg.phase, sizeof pg.phase, "%s", phase);
		pg.total = total;
		pg.done = done;
		pg.phase_start = t;
	} else if (done > pg.done) {
		pg.done = done;
	}
}

static void draw(double t)
{
	char line[256 + sizeof ERASE];
	/* The last column would wrap on some terminals; + 1 for the "\r"; the text is ASCII. */
	size_t end = pg.columns > 1 ? pg.columns : 2;
	int len = snprintf(line, 256, "\rpalmares: ");
	progress_format(line + len, 256 - (size_t)len, pg.phase, pg.done, pg.total, t - pg.phase_start);
	len = (int)strlen(line);
	if ((size_t)len > end)
		len = (int)end;
	/* One string, so that one write draws the whole line. */
	memcpy(line + len, ERASE, sizeof ERASE);
	fputs(line, stderr);
	pg.shown = 1;
	pg.last_draw = t;
}

void progress_update(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
	(void)ctx;
	pthread_mutex_lock(&pg.lock);
	if (pg.active) {
		double t = now();
		track(phase, done, total, t);
		if (t - pg.start >= 3 * pg.interval && t - pg.last_draw >= pg.interval)
			draw(t);
	}
	pthread_mutex_unlock(&pg.lock);
}
