/*
 * Allocation failures (issue 6, point 3): a representative run — load a
 * rubric, CSV (UTF-8 and Windows-1252), JSON and JSON Lines dossiers, an
 * earlier edition's results, CSV and JSON marks, score with overrides, write
 * the results atomically in the three formats, explain a town, write the
 * templates — is repeated with the N-th allocation failing, for N = 0, 1, 2,
 * … until a run completes without reaching N. Then the same for rendering a
 * certificate, a feedback report and the booklet from the results.
 *
 * Every run must
 *  - not crash (the sanitizer build also catches invalid accesses);
 *  - either report the failure (a step returns a nonzero status and an error
 *    message is recorded, or the list itself ran out of memory), or produce
 *    exactly the reference output (a failure absorbed without harm);
 *  - free every block it allocated (counted below), and leave no temporary
 *    output file behind.
 *
 * How: this executable is linked with -Wl,--wrap=malloc,calloc,realloc,free,
 * strdup,strndup, so every allocation of engine/ and reports/ (static
 * libraries linked in here) goes through the __wrap_ functions below;
 * jansson's through json_set_alloc_funcs(); libcsv's through the realloc and
 * free that engine/csvread.c hands it. Allocations inside the C library
 * (getline, stdio buffers), cairo, pango, fontconfig and glib are not
 * counted and never fail: glib aborts by design when its allocator fails, so
 * those cannot be tested this way (see tests/fuzz/README.md).
 *
 * Usage: test_allocfail DATADIR [--engine-only] (DATADIR: a scratch directory).
 * PAL_ALLOCFAIL_FROM / PAL_ALLOCFAIL_STEP (environment) start at N / skip
 * every STEP-th N, for quick manual runs.
 */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "palmares/documents.h"
#include "palmares/palmares.h"
#include "palmares/limits.h"

/* ---- the wrapped allocator ------------------------------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* Live blocks of the wrapped allocator: an open-addressing set of pointers. */
#define SET_BITS 20
#define SET_SIZE ((size_t)1 << SET_BITS)
#define TOMB ((void *)1)
static void *live[SET_SIZE];
static size_t nlive;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static long countdown = -1;   /* allocations before the failing one; -1 never */
static int fired;             /* the armed failure happened */
static void *fired_at;        /* return address of the failed allocation */
static void *fired_bt[16];    /* and the stack above it */
static int fired_depth;
static unsigned long allocs;  /* allocations since arming (for the summary) */

static size_t slot_of(const void *p)
{
	uintptr_t h = (uintptr_t)p;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15u;
	return (size_t)(h >> (64 - SET_BITS)) & (SET_SIZE - 1);
}

static void set_add(void *p)
{
	size_t i = slot_of(p);
	while (live[i] && live[i] != TOMB)
		i = (i + 1) & (SET_SIZE - 1);
	live[i] = p;
	if (++nlive > SET_SIZE / 2) {
		fputs("allocfail: too many live blocks for the tracking set\n", stderr);
		abort();
	}
}

/* Removes p; returns 1 if it was there (allocated by the wrapper). */
static int set_remove(void *p)
{
	for (size_t i = slot_of(p); live[i]; i = (i + 1) & (SET_SIZE - 1))
		if (live[i] == p) {
			live[i] = TOMB;
			nlive--;
			return 1;
		}
	return 0;
}

/* Returns 1 when this allocation must fail. Called with the lock held. */
static int should_fail(void *caller)
{
	allocs++;
	if (countdown < 0)
		return 0;
	if (countdown-- == 0) {
		fired = 1;
		fired_at = caller;
		fired_depth = backtrace(fired_bt, 16);
		return 1;
	}
	return 0;
}

static void *track(void *p)
{
	if (p)
		set_add(p);
	return p;
}

void *__wrap_malloc(size_t n)
{
	void *p = NULL;
	pthread_mutex_lock(&lock);
	if (!should_fail(__builtin_return_address(0)))
		p = track(__real_malloc(n ? n : 1));
	pthread_mutex_unlock(&lock);
	return p;
}

void *__wrap_calloc(size_t a, size_t b)
{
	void *p = NULL;
	pthread_mutex_lock(&lock);
	if (!should_fail(__builtin_return_address(0)))
		p = track(__real_calloc(a ? a : 1, b ? b : 1));
	pthread_mutex_unlock(&lock);
	return p;
}

void *__wrap_realloc(void *p, size_t n)
{
	void *q = NULL;
	pthread_mutex_lock(&lock);
	if (!p) {
		if (!should_fail(__builtin_return_address(0)))
			q = track(__real_realloc(NULL, n ? n : 1));
	} else if (!set_remove(p)) {
		q = __real_realloc(p, n); /* a block of the C library (getline): not ours to count */
	} else if (should_fail(__builtin_return_address(0))) {
		set_add(p); /* a failed realloc leaves the block as it was */
	} else {
		q = __real_realloc(p, n ? n : 1);
		set_add(q ? q : p);
	}
	pthread_mutex_unlock(&lock);
	return q;
}

void __wrap_free(void *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&lock);
	set_remove(p);
	pthread_mutex_unlock(&lock);
	__real_free(p);
}

char *__wrap_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = __wrap_malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = __wrap_malloc(len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

static void *json_alloc(size_t n)
{
	return __wrap_malloc(n);
}

static void json_release(void *p)
{
	__wrap_free(p);
}

static void arm(long n)
{
	pthread_mutex_lock(&lock);
	countdown = n;
	fired = 0;
	fired_at = NULL;
	allocs = 0;
	pthread_mutex_unlock(&lock);
}

static void disarm(void)
{
	pthread_mutex_lock(&lock);
	countdown = -1;
	pthread_mutex_unlock(&lock);
}

/* ---- the campaign --------------------------------------------------------- */

static const char rubric_text[] =
	"{\"format\":\"palmares-rubric/1\",\"id\":\"oom-2027\",\"edition\":2027,\n"
	" \"label\":{\"fr\":\"Label \\u00e9preuve\",\"en\":\"Trial label\"},\"language\":\"fr\",\n"
	" \"x-note\":\"free\",\n"
	" \"categories\":[\n"
	"  {\"id\":\"services\",\"title\":{\"fr\":\"Services\",\"en\":\"Services\"},\"criteria\":[\n"
	"   {\"id\":\"yn\",\"title\":\"Oui\",\"kind\":\"yes-no\",\"points\":4,\"evidence\":\"optional\"},\n"
	"   {\"id\":\"num\",\"kind\":\"number\",\"points\":10,\"steps\":[[1,0.2],[5,0.5],[20,1]]},\n"
	"   {\"id\":\"pct\",\"kind\":\"percent\",\"points\":10},\n"
	"   {\"id\":\"ch\",\"kind\":\"choice\",\"points\":6,\"options\":{\"libre\":1,\"mixte\":0.5}},\n"
	"   {\"id\":\"mu\",\"kind\":\"multi\",\"points\":8,\"options\":{\"a\":0.4,\"b\":0.4,\"c\":0.4}},\n"
	"   {\"id\":\"big\",\"kind\":\"yes-no\",\"points\":3,\"allow_na\":true,\"evidence\":\"required\",\n"
	"    \"applies\":{\">=\":[{\"var\":\"town.population\"},3500]}},\n"
	"   {\"id\":\"note\",\"kind\":\"info\"}]},\n"
	"  {\"id\":\"jury-cat\",\"not_applicable\":\"exclude\",\"criteria\":[\n"
	"   {\"id\":\"inno\",\"kind\":\"jury\",\"points\":15,\"scale\":[0,5]}]}],\n"
	" \"jury\":{\"aggregate\":\"mean\",\"min_marks\":1,\"disagreement\":2,\"calibrate\":\"z\","
	"\"calibrate_min\":2},\n"
	" \"levels\":[{\"name\":\"@\",\"min_percent\":0},{\"name\":\"@@\",\"min_percent\":35},\n"
	"  {\"name\":\"@@@\",\"min_percent\":50,\"requires\":{\"==\":[{\"var\":\"answers.yn\"},true]}}],\n"
	" \"mentions\":[{\"id\":\"libre\",\"name\":{\"fr\":\"Mention libre\"},\"min_level\":1,\n"
	"  \"when\":{\"and\":[{\">=\":[{\"var\":\"criteria.pct.fraction\"},0.6]},"
	"{\"in\":[\"a\",{\"var\":\"answers.mu\"}]},{\">=\":[{\"var\":\"history.2026\"},0]}]}}]}\n";

/* The files of a campaign: name and content. */
struct file {
	const char *name, *text;
};

/* A: a clean campaign, every step succeeds (warnings only). */
static const struct file clean[] = {
	{"rubric.json", rubric_text},
	{"dossiers.csv",
	 "town_id,town_name,population,town.epci,yn,yn.evidence,num,pct,ch,mu,big,big.evidence,note\n"
	 "1,Alpha,100,E1,oui,http://e/1,3,\"72,5\",libre,a|b,,,texte libre\n"
	 "2,B\xC3\xAAta,5000,E2,non,,25,10,mixte,c,n/a,,\n"
	 "3,\"Gamma, la ville\",40000,,x,,0,100,libre,,oui,http://e/3,\"deux\nlignes\"\n"},
	{"dossiers-1252.csv", /* not UTF-8: read as Windows-1252, with a warning */
	 "town_id;town_name;population;yn;num\r\n4;Ch\xE2teau \x9C" "uvre;1\xA0" "234;oui;1\r\n"},
	{"dossiers.json",
	 "[{\"format\":\"palmares-dossier/1\",\"rubric\":\"oom-2027\",\n"
	 "  \"town\":{\"id\":\"5\",\"name\":\"Epsilon\",\"population\":8000,\"region\":\"R\"},\n"
	 "  \"answers\":{\"yn\":true,\"num\":12,\"pct\":50,\"ch\":\"LIBRE\",\"mu\":[\"a\",\"c\"],\"big\":true,"
	 "\"note\":\"n\"},\n"
	 "  \"evidence\":{\"big\":\"http://e/5\"}},\n"
	 " {\"town\":{\"id\":\"6\",\"name\":\"Zeta\"},\"answers\":{\"yn\":false,\"mu\":[]}}]\n"},
	{"dossiers.jsonl",
	 "{\"town\":{\"id\":\"7\",\"name\":\"Eta\",\"population\":3600},\"answers\":{\"big\":\"n/a\"}}\n\n"
	 "{\"town\":{\"id\":\"8\",\"name\":\"Theta\"},\"answers\":{\"pct\":99.5}}\n"},
	{"previous.json",
	 "{\"format\":\"palmares-results/1\",\"rubric\":{\"edition\":2026},"
	 "\"towns\":[{\"id\":\"1\",\"level\":2},{\"id\":\"5\",\"level\":0}]}\n"},
	{"marks.csv",
	 "juror,town_id,criterion,mark,comment\n"
	 "j1,1,inno,4,bien\nj2,1,inno,\"2,5\",\nj3,1,inno,1,\nj1,2,inno,5,\nj2,2,inno,0,\n"
	 "j1,3,inno,3,\nj2,3,inno,3,\"tr\xC3\xA8s bien\"\nj3,5,inno,,\n"},
	{"marks.json",
	 "[{\"juror\":\"j3\",\"town_id\":\"5\",\"criterion\":\"inno\",\"mark\":2,\"comment\":\"c\"},\n"
	 " {\"juror\":\"j1\",\"town_id\":\"6\",\"criterion\":\"inno\",\"mark\":\"4,5\"},\n"
	 " {\"juror\":\"j2\",\"town_id\":\"6\",\"criterion\":\"inno\",\"mark\":3}]\n"},
	{"overrides.csv", "town_id,level,reason\n2,@@,\"le jury a vu le projet\"\n"},
	{NULL, NULL},
};

/* B: the same rubric and rejected input everywhere, so that error paths run out of memory too. */
static const struct file rejected[] = {
	{"rubric.json", rubric_text},
	{"dossiers.csv",
	 "town_id,town_name,population,yn,num,pct,ch,mu,big,bogus,,nmu\n"
	 "1,Alpha,-3,peut-\xC3\xAAtre,douze,101,autre,a|z,oui,x,y,a\n1,Alpha bis,,,,,,,,\n"
	 ",Sans id,,,,,,,,\n2,B,1 23,1.234,\"ab\"c,,,,\n9,\"open quote\n"},
	{"dossiers-1252.csv", "town_id;town_name;yn\r\n4;Ch\xE2teau;\x9C\r\n"},
	{"dossiers.json",
	 "[{\"town\":{\"id\":5,\"name\":\"\"},\"answers\":{\"yn\":\"oui\",\"unknown\":1,\"inno\":3},"
	 "\"extra\":1,\"rubric\":\"other\",\"format\":2},\n 3,\n"
	 " {\"town\":{\"id\":\"6\",\"name\":\"Z\",\"list\":[1]},\"evidence\":{\"yn\":4},\"answers\":[]}]\n"},
	{"dossiers.jsonl",
	 "{broken\n{\"town\":{\"id\":\"7\",\"name\":\"Eta\"},\"answers\":{\"pct\":\"x\",\"mu\":[1]}}\n"
	 "{\"town\":{\"id\":\"7\",\"name\":\"Eta again\"}}\n"},
	{"previous.json", "{\"format\":\"nope\"}\n"},
	{"marks.csv",
	 "juror,town_id,criterion,mark,comment,bogus\n,1,inno,4,,\nj1,99,inno,4,,\nj1,8,yn,3,,\n"
	 "j1,8,inno,9,,\nj1,8,inno,quatre,,\nj1,8,inno,2,,\nj1,8,inno,3,,\n"},
	{"marks.json", "[{\"juror\":3},{\"juror\":\"j1\",\"town_id\":\"8\",\"criterion\":\"inno\","
	 "\"mark\":true},{\"juror\":\"j2\",\"town_id\":\"8\",\"criterion\":\"zz\",\"mark\":1}]\n"},
	{"overrides.csv", "town_id,level,reason,x\n99,1,x,\n8,9,x,\n8,@@,,\n8,1,a,\n8,2,b,\n"},
	{NULL, NULL},
};

/* C: a rubric with a problem in every section: all are reported, with their positions. */
static const struct file bad_rubric[] = {
	{"rubric.json",
	 "{\"format\":\"palmares-rubric/2\",\"id\":\"Bad Id\",\"edition\":\"2027\",\"labl\":\"x\",\n"
	 " \"categories\":[{\"id\":\"c\",\"criteria\":[{\"id\":\"a\",\"kind\":\"number\",\"points\":1.234,"
	 "\"steps\":[[5,0.5],[1,2]]},\n  {\"id\":\"a\",\"kind\":\"choice\",\"options\":{\"x\":1,\"X\":2},"
	 "\"points\":1,\"applies\":{\"var\":\"criteria.a.fraction\"}},\n"
	 "  {\"id\":\"j\",\"kind\":\"jury\",\"points\":2,\"scale\":[5,1]},{\"id\":\"k\",\"kind\":\"bogus\"}]}],\n"
	 " \"jury\":{\"aggregate\":\"mode\",\"min_marks\":-1},\n"
	 " \"levels\":[{\"name\":\"@\",\"min_percent\":50},{\"name\":\"@\",\"min_percent\":10,"
	 "\"requires\":{\"=>\":[1]}}],\n"
	 " \"mentions\":[{\"id\":\"m\",\"name\":\"M\",\"when\":{\"var\":\"nowhere\"},\"min_level\":9}]}\n"},
	{NULL, NULL},
};

static char dir[512];

static void path_of(const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static void write_inputs(const struct file *files)
{
	for (size_t i = 0; files[i].name; i++) {
		char p[600];
		path_of(files[i].name, p, sizeof p);
		FILE *f = fopen(p, "wb");
		if (!f || fputs(files[i].text, f) < 0 || fclose(f) != 0) {
			perror(p);
			exit(2);
		}
	}
}

/* What one run produced. */
struct outcome {
	int st[32];        /* status of each step, in order */
	int nst;
	int reported;      /* an out-of-memory error was reported */
	char *text;        /* everything written, concatenated (from open_memstream) */
	size_t len;
};

static void note_step(struct outcome *o, int st)
{
	if (o->nst < 32)
		o->st[o->nst++] = st;
}

/* Appends a written file to the outcome stream. */
static void append_file(FILE *mem, const char *name)
{
	char p[600], buf[4096];
	size_t n;
	path_of(name, p, sizeof p);
	FILE *f = fopen(p, "rb");
	if (!f)
		return;
	fprintf(mem, "== %s\n", name);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, mem);
	fclose(f);
}

/* The messages are part of the output; one about memory is the report of a failure. */
static void append_diags(FILE *mem, const pal_diags *d, struct outcome *o)
{
	for (size_t i = 0; i < pal_diags_count(d); i++) {
		char line[2048];
		pal_diag_format(pal_diags_get(d, i), line, sizeof line);
		fprintf(mem, "%s\n", line);
		if (strstr(line, "out of memory") || strstr(line, strerror(ENOMEM)))
			o->reported = 1;
	}
	if (pal_diags_oom(d)) { /* the command line then exits 2 (cli/cmd_score.c) */
		o->reported = 1;
		note_step(o, 2);
	}
}

/*
 * Writes the results through pal_output (temporary file + rename), like the
 * command line, which prints err or "cannot write: strerror(errno)".
 */
static int write_output(const pal_campaign *c, pal_results_format fmt, const char *name,
                        struct outcome *oc)
{
	char p[600], err[512] = "";
	path_of(name, p, sizeof p);
	errno = 0;
	pal_output *o = pal_output_open(p, err, sizeof err);
	int rc = 0;
	if (!o) {
		rc = 2;
	} else if (pal_results_write(c, fmt, NULL, pal_output_stream(o)) != 0) {
		int e = errno;
		pal_output_abort(o);
		rc = 2;
		snprintf(err, sizeof err, "cannot write: %s", strerror(e));
	} else if (pal_output_commit(o, err, sizeof err) != 0) {
		rc = 2;
	}
	if (rc && strstr(err, strerror(ENOMEM)))
		oc->reported = 1;
	return rc;
}

static void engine_run(struct outcome *o, pal_doc_kind unused)
{
	char p[600];
	int st;
	FILE *mem = open_memstream(&o->text, &o->len);
	pal_diags *d = pal_diags_new();
	pal_rubric *r = NULL;
	pal_campaign *c = NULL;
	(void)unused;
	if (!mem)
		abort();
	if (!d) {
		note_step(o, 2);
		o->reported = 1; /* the command line prints "out of memory" itself */
		goto out;
	}
	path_of("rubric.json", p, sizeof p);
	r = pal_rubric_load(p, d, &st);
	note_step(o, st);
	if (!r)
		goto out;
	for (int f = 0; f < 3; f++)
		note_step(o, pal_template_write(r, (pal_template_format)f, NULL, mem) ? 2 : 0);
	c = pal_campaign_new(r);
	if (!c) {
		note_step(o, 2);
		o->reported = 1; /* the command line prints "out of memory" itself */
		goto out;
	}
	static const char *const dossiers[] = {"dossiers.csv", "dossiers-1252.csv", "dossiers.json",
	                                       "dossiers.jsonl"};
	for (size_t i = 0; i < 4; i++) {
		path_of(dossiers[i], p, sizeof p);
		note_step(o, pal_campaign_add_dossiers(c, p, d));
	}
	path_of("previous.json", p, sizeof p);
	note_step(o, pal_campaign_set_previous(c, p, d));
	path_of("marks.csv", p, sizeof p);
	note_step(o, pal_campaign_add_marks(c, p, d));
	path_of("marks.json", p, sizeof p);
	note_step(o, pal_campaign_add_marks(c, p, d));
	path_of("overrides.csv", p, sizeof p);
	note_step(o, pal_campaign_set_overrides(c, p, d));
	note_step(o, pal_campaign_score(c, d));
	note_step(o, write_output(c, PAL_RESULTS_JSON, "results.json", o));
	note_step(o, write_output(c, PAL_RESULTS_CSV, "results.csv", o));
	note_step(o, write_output(c, PAL_RESULTS_TEXT, "results.txt", o));
	append_file(mem, "results.json");
	append_file(mem, "results.csv");
	append_file(mem, "results.txt");
	note_step(o, pal_explain_write(c, "5", "en", mem) < 0 ? 2 : 0);
	note_step(o, pal_explain_write(c, "8", NULL, mem) < 0 ? 2 : 0);
out:
	if (d)
		append_diags(mem, d, o);
	pal_campaign_free(c);
	pal_rubric_free(r);
	pal_diags_free(d);
	fclose(mem);
}

/* ---- documents ------------------------------------------------------------ */

static void doc_run(struct outcome *o, pal_doc_kind kind)
{
	char p[600], out[600];
	int st;
	FILE *mem = open_memstream(&o->text, &o->len);
	pal_diags *d = pal_diags_new();
	pal_doc_results *r = NULL;
	if (!mem)
		abort();
	if (!d) {
		note_step(o, 2);
		o->reported = 1;
		goto out;
	}
	path_of("results.json", p, sizeof p);
	r = pal_doc_results_load(p, d, &st);
	note_step(o, st);
	if (!r)
		goto out;
	for (size_t i = 0; i < pal_doc_results_count(r); i++)
		fprintf(mem, "%s|%s|%d|%s\n", pal_doc_town_id(r, i), pal_doc_town_name(r, i),
		        pal_doc_town_level(r, i), pal_doc_town_code(r, i));
	pal_doc_options opt = {0};
	const char *towns[] = {"5"};
	opt.kind = kind;
	opt.towns = kind == PAL_DOC_BOOKLET ? NULL : towns;
	opt.ntowns = kind == PAL_DOC_BOOKLET ? 0 : 1;
	path_of("doc.pdf", out, sizeof out);
	unlink(out);
	st = pal_doc_render(r, &opt, out, d);
	note_step(o, st);
	struct stat sb;
	if (st != 0 && stat(out, &sb) == 0) {
		fprintf(stderr, "allocfail: a failed rendering left %s\n", out);
		exit(1);
	}
	append_file(mem, "doc.pdf"); /* byte-identical: SOURCE_DATE_EPOCH fixes the dates */
out:
	if (d)
		append_diags(mem, d, o);
	pal_doc_results_free(r);
	pal_diags_free(d);
	fclose(mem);
}

/* ---- the loop ------------------------------------------------------------- */

/*
 * "object+offset (symbol)" of the failed allocation's caller and of the first
 * frames of this executable above it, for addr2line (the engine's functions
 * are static and unnamed here; libraries' frames are named by dladdr).
 */
static const char *where(void *addr)
{
	static char buf[1024];
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0, shown = 0; i < fired_depth && shown < 5 && o < sizeof buf - 1; i++) {
		Dl_info info;
		void *a = fired_bt[i];
		if (i < 2 || !a || !dladdr(a, &info) || !info.dli_fname)
			continue; /* backtrace() and should_fail() themselves */
		const char *base = strrchr(info.dli_fname, '/');
		base = base ? base + 1 : info.dli_fname;
		if (strncmp(base, "libc.", 5) == 0)
			continue;
		int w = snprintf(buf + o, sizeof buf - o, "%s%s+%#lx%s%s%s", shown ? " < " : "", base,
		                 (unsigned long)((uintptr_t)a - (uintptr_t)info.dli_fbase) - 1,
		                 info.dli_sname ? " (" : "", info.dli_sname ? info.dli_sname : "",
		                 info.dli_sname ? ")" : "");
		if (w < 0)
			break;
		o += (size_t)w < sizeof buf - o ? (size_t)w : sizeof buf - o - 1;
		shown++;
	}
	if (!o)
		snprintf(buf, sizeof buf, "%p", addr);
	return buf;
}

/* With PAL_ALLOCFAIL_DUMP=DIR, the reference and each differing output are kept there. */
static void dump(const char *what, long n, const struct outcome *o)
{
	const char *d = getenv("PAL_ALLOCFAIL_DUMP");
	char p[600];
	if (!d)
		return;
	snprintf(p, sizeof p, "%s/%s-%ld.out", d, what, n);
	for (char *c = p + strlen(d) + 1; *c; c++)
		if (*c == ' ' || *c == ',')
			*c = '_';
	FILE *f = fopen(p, "wb");
	if (f) {
		fwrite(o->text, 1, o->len, f);
		fclose(f);
	}
}

/* A temporary output file left behind (".NAME.XXXXXX") is a failure. */
static void check_no_temp(long n)
{
	DIR *dd = opendir(dir);
	struct dirent *e;
	if (!dd)
		abort();
	while ((e = readdir(dd)) != NULL)
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			fprintf(stderr, "allocfail: N=%ld left the temporary file %s\n", n, e->d_name);
			exit(1);
		}
	closedir(dd);
}

static int same_statuses(const struct outcome *a, const struct outcome *b)
{
	return a->nst == b->nst && memcmp(a->st, b->st, sizeof a->st[0] * (size_t)a->nst) == 0;
}

static int same_text(const struct outcome *a, const struct outcome *b)
{
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/*
 * Runs `run` with allocation N failing for N = from, from + step, ... until
 * a run no longer reaches N. A run whose statuses are those of the reference
 * run must have produced the reference output (the failure was absorbed); a
 * run with another status must have reported running out of memory.
 * Returns the number of problems found.
 */
static int walk(const char *what, void (*run)(struct outcome *, pal_doc_kind), pal_doc_kind kind)
{
	struct outcome ref = {0};
	int problems = 0;
	long from = getenv("PAL_ALLOCFAIL_FROM") ? strtol(getenv("PAL_ALLOCFAIL_FROM"), NULL, 10) : 0;
	long step = getenv("PAL_ALLOCFAIL_STEP") ? strtol(getenv("PAL_ALLOCFAIL_STEP"), NULL, 10) : 1;
	unsigned long total;

	if (step < 1)
		step = 1;
	arm(-1);
	run(&ref, kind);
	total = allocs;
	dump(what, -1, &ref);
	if (nlive != 0 || ref.reported) {
		fprintf(stderr, "allocfail: %s: the reference run leaks %zu blocks or runs out of memory\n",
		        what, nlive);
		fwrite(ref.text, 1, ref.len, stderr);
		exit(1);
	}
	long n;
	for (n = from;; n += step) {
		struct outcome o = {0};
		arm(n);
		run(&o, kind);
		disarm();
		if (!fired) {
			if (!same_statuses(&o, &ref) || !same_text(&o, &ref)) {
				fprintf(stderr, "allocfail: %s: N=%ld: no failure injected, yet the output differs\n",
				        what, n);
				dump(what, n, &o);
				problems++;
			}
			free(o.text);
			break;
		}
		if (nlive != 0) {
			fprintf(stderr, "allocfail: %s: N=%ld (allocation at %s): %zu block(s) leaked\n", what,
			        n, where(fired_at), nlive);
			problems++;
			/* Forget them, so that the next runs are counted on their own. */
			memset(live, 0, sizeof live);
			nlive = 0;
		}
		if (!same_statuses(&o, &ref) && !o.reported) {
			fprintf(stderr, "allocfail: %s: N=%ld (allocation at %s): a status changed, with no "
			        "out-of-memory message\n", what, n, where(fired_at));
			dump(what, n, &o);
			problems++;
		} else if (same_statuses(&o, &ref) && !same_text(&o, &ref)) {
			fprintf(stderr, "allocfail: %s: N=%ld (allocation at %s): every step had its usual "
			        "status but the output differs from the reference\n", what, n, where(fired_at));
			dump(what, n, &o);
			problems++;
		}
		check_no_temp(n);
		free(o.text);
	}
	printf("allocfail: %s: %lu allocations in a run, %ld runs with one failing: %d problem(s)\n",
	       what, total, (n - from) / step, problems);
	free(ref.text);
	return problems;
}

/* Runs a scenario in its own subdirectory of the scratch directory. */
static int scenario_walk(const char *base, const char *sub, const struct file *files,
                         int with_documents)
{
	int problems = 0;
	char name[64];
	snprintf(dir, sizeof dir, "%s/%s", base, sub);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		perror(dir);
		exit(2);
	}
	write_inputs(files);
	snprintf(name, sizeof name, "%s: load, score and write", sub);
	problems += walk(name, engine_run, PAL_DOC_CERTIFICATES);
	if (with_documents) {
		/* From the results the last (complete) run wrote. */
		problems += walk("certificate", doc_run, PAL_DOC_CERTIFICATES);
		problems += walk("report", doc_run, PAL_DOC_REPORT);
		problems += walk("booklet", doc_run, PAL_DOC_BOOKLET);
	}
	return problems;
}

static void remove_tree(const char *path)
{
	DIR *dd = opendir(path);
	struct dirent *e;
	while (dd && (e = readdir(dd)) != NULL) {
		char p[1200];
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", path, e->d_name);
		if (e->d_type == DT_DIR)
			remove_tree(p);
		else
			unlink(p);
	}
	if (dd)
		closedir(dd);
	rmdir(path);
}

int main(int argc, char **argv)
{
	int problems = 0, documents = argc < 3 || strcmp(argv[2], "--engine-only") != 0;
	char base[512];
	if (argc < 2) {
		fputs("usage: test_allocfail SCRATCH_DIR [--engine-only]\n", stderr);
		return 2;
	}
	if (mkdir(argv[1], 0777) != 0 && errno != EEXIST)
		return 2;
	snprintf(base, sizeof base, "%s/allocfail-XXXXXX", argv[1]);
	if (!mkdtemp(base))
		return 2;
	/* Fixed dates: the PDFs of two runs are then byte-identical. */
	setenv("SOURCE_DATE_EPOCH", "1800000000", 1);
	json_set_alloc_funcs(json_alloc, json_release);
	pal_json_watch_allocations(); /* as the command line does: on top of the failing allocator */
	void *warm[2];
	backtrace(warm, 2); /* loads libgcc now, not inside an allocation */
	problems += scenario_walk(base, "clean", clean, documents);
	problems += scenario_walk(base, "rejected", rejected, 0);
	problems += scenario_walk(base, "bad-rubric", bad_rubric, 0);
	if (!problems) /* a failing run's files are kept for a look */
		remove_tree(base);
	return problems ? 1 : 0;
}
