/*
 * Stored answers into the engine's dossier (answers.h). A typed answer
 * becomes the JSON value a dossier file would hold: yes-no "true"/"false"
 * as booleans, numbers read as JSON (never through the locale), a multi's
 * options joined by '|' as an array, "n/a" as is; anything else stays text,
 * which the engine refuses with its own message, so that nothing typed is
 * dropped on the way.
 */
#include "answers.h"

#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "palmares/text.h"

void answers_free(answers *a)
{
	for (size_t i = 0; i < a->n; i++) {
		if (a->val)
			free(a->val[i]);
		if (a->ev)
			free(a->ev[i]);
	}
	free(a->val);
	free(a->ev);
}

int answers_init(answers *a, const pal_rubric *rb)
{
	a->rb = rb;
	a->n = pal_rubric_count_criteria(rb);
	a->val = calloc(a->n ? a->n : 1, sizeof *a->val);
	a->ev = calloc(a->n ? a->n : 1, sizeof *a->ev);
	return a->val && a->ev ? 0 : -1;
}

int answers_set_text(char **slot, const char *v)
{
	char *d = strdup(v ? v : "");
	if (!d)
		return -1;
	free(*slot);
	*slot = d;
	return 0;
}

struct load_ctx {
	answers *a;
	int oom;
};

/* A stored answer: "ID" is the answer, "ID.evidence" the evidence (as the
 * dossier template's columns name them); an unknown id is left aside. */
int answers_put(answers *a, const char *criterion, const char *value)
{
	static const char suffix[] = ".evidence";
	size_t len = strlen(criterion), sl = sizeof suffix - 1;
	char id[512];
	long i;
	if (len > sl && strcmp(criterion + len - sl, suffix) == 0 && len - sl < sizeof id) {
		memcpy(id, criterion, len - sl);
		id[len - sl] = 0;
		i = pal_rubric_find_criterion(a->rb, id);
		return i >= 0 ? answers_set_text(&a->ev[i], value) : 0;
	}
	i = pal_rubric_find_criterion(a->rb, criterion);
	return i >= 0 ? answers_set_text(&a->val[i], value) : 0;
}

static int load_one(void *ctx, const char *criterion, const char *value, int64_t revision, int64_t updated_at,
		    int64_t updated_by)
{
	struct load_ctx *l = ctx;
	(void)revision, (void)updated_at, (void)updated_by;
	if (answers_put(l->a, criterion, value) != 0)
		l->oom = 1;
	return l->oom;
}

store_status answers_load(answers *a, store *st, const char *town)
{
	struct load_ctx l = {a, 0};
	store_status s = store_answers_list(st, town, load_one, &l);
	return s == STORE_OK && l.oom ? STORE_NOMEM : s;
}

/* The rubric of a stored rubric text, parsed. NULL on failure. */
static pal_rubric *rubric_of_text(const char *text)
{
	pal_rubric *rb = NULL;
	int status = 0;
	pal_diags *d = pal_diags_new();
	if (d)
		rb = pal_rubric_load_text("rubric.json", text, strlen(text), d, &status);
	pal_diags_free(d);
	return rb;
}

/* The rubric of the campaign, loaded from the store's JSON text. NULL on failure. */
pal_rubric *campaign_rubric(store *st)
{
	char *text = NULL;
	pal_rubric *rb = NULL;
	if (store_campaign_get(st, NULL, &text) != STORE_OK || !text)
		return NULL;
	rb = rubric_of_text(text);
	free(text);
	return rb;
}

/*
 * The shared rubrics: parsing the stored rubric was 40 % of a save's CPU
 * (bench/README.md). A loaded pal_rubric is only read by the engine (no
 * cache filled on use: its id index is sorted at load), so threads share it.
 * Each entry is keyed on the whole stored text, compared byte for byte, so a
 * changed rubric (or another campaign file in the same process) gets its own
 * entry and nobody is ever handed a rubric of other text. Entries are never
 * freed before campaign_rubric_cache_free(): a thread may still be reading
 * an older one, and the rubric does not change during a campaign, so the
 * list stays at one entry per campaign file.
 */
struct shared_rubric {
	struct shared_rubric *next;
	char *text;
	size_t len;
	pal_rubric *rb;
};

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shared_rubric *shared_list;

const pal_rubric *campaign_rubric_shared(store *st)
{
	char *text = NULL;
	const pal_rubric *found = NULL;
	if (store_campaign_get(st, NULL, &text) != STORE_OK || !text)
		return NULL;
	size_t len = strlen(text);
	pthread_mutex_lock(&shared_lock);
	for (struct shared_rubric *e = shared_list; e && !found; e = e->next)
		if (e->len == len && memcmp(e->text, text, len) == 0)
			found = e->rb;
	if (!found) {
		/* Parsed under the lock: the first requests after a start wait
		 * for one parse instead of each doing its own. */
		struct shared_rubric *e = malloc(sizeof *e);
		pal_rubric *rb = e ? rubric_of_text(text) : NULL;
		if (rb) {
			*e = (struct shared_rubric){shared_list, text, len, rb};
			shared_list = e;
			text = NULL;
			found = rb;
		} else {
			free(e);
		}
	}
	pthread_mutex_unlock(&shared_lock);
	free(text);
	return found;
}

void campaign_rubric_cache_free(void)
{
	pthread_mutex_lock(&shared_lock);
	struct shared_rubric *e = shared_list;
	shared_list = NULL;
	pthread_mutex_unlock(&shared_lock);
	while (e) {
		struct shared_rubric *next = e->next;
		pal_rubric_free(e->rb);
		free(e->text);
		free(e);
		e = next;
	}
}

/* A typed number as JSON: the number when the text is one by the rule of a
 * dossier CSV's cells (pal_text_number: "12,5", "1 234", "40 %" for a
 * percent), so that the form reads what a spreadsheet would hold; else the
 * text, which the engine refuses with its message. */
static json_t *typed_number(const char *v, int percent_kind)
{
	double d;
	int percent;
	if (pal_text_number(v, &d, &percent) == 0 && isfinite(d) && (!percent || percent_kind))
		/* the range first: casting a double out of json_int_t's range is undefined */
		return d > -1e15 && d < 1e15 && d == (double)(json_int_t)d ? json_integer((json_int_t)d)
									   : json_real(d);
	return json_string(v);
}

/* A typed answer as the JSON a dossier file would hold, NULL when unanswered. */
static json_t *typed_json(const pal_rubric *rb, size_t i, const char *v)
{
	const char *kind = pal_rubric_criterion_kind(rb, i);
	if (!v || !*v || strcmp(kind, "jury") == 0)
		return NULL;
	if (strcmp(v, "n/a") == 0)
		return json_string(v);
	if (strcmp(kind, "yes-no") == 0) {
		if (strcmp(v, "true") == 0)
			return json_true();
		if (strcmp(v, "false") == 0)
			return json_false();
		return json_string(v);
	}
	if (strcmp(kind, "number") == 0 || strcmp(kind, "percent") == 0)
		return typed_number(v, strcmp(kind, "percent") == 0);
	if (strcmp(kind, "multi") == 0) {
		json_t *arr = json_array();
		const char *p = v;
		while (arr && *p) {
			size_t len = strcspn(p, "|");
			if (len && json_array_append_new(arr, json_stringn(p, len)) != 0) {
				json_decref(arr);
				return NULL;
			}
			p += len + (p[len] == '|');
		}
		return arr;
	}
	return json_string(v);
}

/* The town's dossier as JSON text (owned), from its attributes and a's answers. */
char *answers_dossier_json(const pal_rubric *rb, const char *town, const char *name, const char *attrs,
			  const answers *a)
{
	json_t *root = json_object(), *t = json_object(), *ans = json_object(), *ev = json_object();
	json_t *at = attrs ? json_loads(attrs, 0, NULL) : NULL;
	char *text = NULL;
	int bad = !root || !t || !ans || !ev;
	if (!bad && json_is_object(at))
		bad |= json_object_update(t, at) != 0;
	if (!bad) {
		bad |= json_object_set_new(t, "id", json_string(town)) != 0;
		bad |= json_object_set_new(t, "name", json_string(name)) != 0;
		bad |= json_object_set_new(root, "format", json_string("palmares-dossier/1")) != 0;
		bad |= json_object_set_new(root, "rubric", json_string(pal_rubric_id(rb))) != 0;
	}
	for (size_t i = 0; !bad && i < a->n; i++) {
		json_t *v = typed_json(rb, i, a->val[i]);
		if (v)
			bad |= json_object_set_new(ans, pal_rubric_criterion_id(rb, i), v) != 0;
		if (a->ev[i] && *a->ev[i])
			bad |= json_object_set_new(ev, pal_rubric_criterion_id(rb, i),
						   json_string(a->ev[i])) != 0;
	}
	if (!bad) {
		bad |= json_object_set(root, "town", t) != 0;
		bad |= json_object_set(root, "answers", ans) != 0;
		if (json_object_size(ev))
			bad |= json_object_set(root, "evidence", ev) != 0;
	}
	if (!bad)
		text = json_dumps(root, JSON_COMPACT);
	json_decref(at);
	json_decref(t);
	json_decref(ans);
	json_decref(ev);
	json_decref(root);
	return text;
}

