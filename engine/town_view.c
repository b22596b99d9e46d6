/*
 * One town's results in memory (palmares/town.h): what results.c writes of
 * a town, read from the scored campaign instead of a file. The town-level
 * accessors read the dossier; pal_town_results computes the criterion
 * results once (eng_dossier_results(), as the writers do, in its own
 * scratch arrays so that it never touches the campaign's) and lists the
 * messages, which a dossier keeps as a linked list, into an array.
 *
 * When results.c's write_town() or write_criterion() changes what a field
 * means, change it here too (and the other way round).
 */
#include <stdio.h>
#include <stdlib.h>

#include "num.h"
#include "palmares/jury_view.h"
#include "score.h"

struct pal_town_results {
	const pal_campaign *c;
	const pal_dossier *d;
	int counted;           /* criterion results are what the results write (not null) */
	pal_crit_result *crit; /* rubric->ncriteria */
	pal_cat_result *cat;   /* rubric->ncategories */
	pal_town_message *msgs;
	size_t nmsgs;
};

static const pal_dossier *town(const pal_campaign *c, size_t t)
{
	return c->dossiers[t];
}

/* Scored: what the results file writes for level, level_name and mentions. */
static int scored(const pal_campaign *c, const pal_dossier *d)
{
	return c->scored && d->status == PAL_STATUS_SCORED;
}

long pal_campaign_find_town(const pal_campaign *c, const char *town_id)
{
	const pal_dossier *d = town_id ? eng_campaign_find(c, town_id) : NULL;
	for (size_t t = 0; d && t < c->ndossiers; t++)
		if (c->dossiers[t] == d)
			return (long)t;
	return -1;
}

const char *pal_campaign_town_id(const pal_campaign *c, size_t t)
{
	return town(c, t)->town_id;
}

const char *pal_campaign_town_name(const pal_campaign *c, size_t t)
{
	return town(c, t)->town_name;
}

const char *pal_campaign_town_status(const pal_campaign *c, size_t t)
{
	pal_status s = town(c, t)->status;
	if (!c->scored)
		return NULL;
	return s == PAL_STATUS_SCORED ? "scored" : s == PAL_STATUS_PENDING ? "pending" : "invalid";
}

int pal_campaign_town_score(const pal_campaign *c, size_t t, double *points, double *max, double *percent)
{
	const pal_dossier *d = town(c, t);
	int known = c->scored && d->status != PAL_STATUS_INVALID;
	*points = known ? d->points : 0;
	*max = known ? d->max : 0;
	*percent = known ? d->percent : 0;
	return known;
}

int pal_campaign_town_level(const pal_campaign *c, size_t t)
{
	const pal_dossier *d = town(c, t);
	return scored(c, d) ? d->level : -1;
}

const char *pal_campaign_town_level_name(const pal_campaign *c, size_t t)
{
	const pal_dossier *d = town(c, t);
	return scored(c, d) && d->level > 0 ? c->rubric->levels[d->level - 1].name : NULL;
}

size_t pal_campaign_town_count_mentions(const pal_campaign *c, size_t t)
{
	const pal_dossier *d = town(c, t);
	size_t n = 0;
	for (size_t m = 0; scored(c, d) && m < c->rubric->nmentions; m++)
		n += (d->mentions >> m) & 1;
	return n;
}

const char *pal_campaign_town_mention(const pal_campaign *c, size_t t, size_t k)
{
	const pal_dossier *d = town(c, t);
	for (size_t m = 0; scored(c, d) && m < c->rubric->nmentions; m++)
		if (((d->mentions >> m) & 1) && k-- == 0)
			return c->rubric->mentions[m].id;
	return NULL;
}

/* ---- one town's criteria and messages ---- */

pal_town_results *pal_campaign_town_results(const pal_campaign *c, size_t t)
{
	const pal_rubric *r = c->rubric;
	const pal_dossier *d = town(c, t);
	pal_town_results *tr = calloc(1, sizeof(*tr));
	if (!tr)
		return NULL;
	tr->c = c;
	tr->d = d;
	for (const pal_msg *m = d->msgs; m; m = m->next)
		tr->nmsgs++;
	tr->crit = calloc(r->ncriteria + 1, sizeof(*tr->crit));
	tr->cat = calloc(r->ncategories + 1, sizeof(*tr->cat));
	tr->msgs = calloc(tr->nmsgs + 1, sizeof(*tr->msgs));
	if (!tr->crit || !tr->cat || !tr->msgs) {
		pal_town_results_free(tr);
		return NULL;
	}
	/* as write_town(): an invalid dossier's criteria are null, and not computed */
	tr->counted = c->scored && d->status != PAL_STATUS_INVALID;
	if (tr->counted)
		eng_dossier_results(c, d, NULL, tr->crit, tr->cat);
	size_t k = 0;
	for (const pal_msg *m = d->msgs; m; m = m->next, k++) {
		pal_town_message *o = &tr->msgs[k];
		o->severity = m->severity;
		o->code = m->info.code;
		o->criterion = m->info.crit >= 0 && (size_t)m->info.crit < r->ncriteria ? m->info.crit : -1;
		o->value = m->info.value;
		o->extra = m->info.extra;
		o->text = m->body;
		o->full = m->text;
	}
	return tr;
}

void pal_town_results_free(pal_town_results *tr)
{
	if (!tr)
		return;
	free(tr->crit);
	free(tr->cat);
	free(tr->msgs);
	free(tr);
}

int pal_town_results_applies(const pal_town_results *tr, size_t i)
{
	return tr->c->scored && pal_dossier_applies(tr->d, i);
}

int pal_town_results_points(const pal_town_results *tr, size_t i, double *points, double *max)
{
	int known = tr->counted && tr->c->rubric->criteria[i].kind != PAL_KIND_INFO;
	*points = known ? tr->crit[i].points : 0;
	*max = known ? tr->crit[i].max : 0;
	return known;
}

pal_answer_form pal_town_results_answer(const pal_town_results *tr, size_t i)
{
	switch (pal_dossier_answer(tr->d, i).type) {
	case PAL_ANS_NA: return PAL_ANSWER_NA;
	case PAL_ANS_BOOL: return PAL_ANSWER_YES_NO;
	case PAL_ANS_NUMBER: return PAL_ANSWER_NUMBER;
	case PAL_ANS_CHOICE:
	case PAL_ANS_MULTI: return PAL_ANSWER_OPTIONS;
	case PAL_ANS_TEXT: return PAL_ANSWER_TEXT;
	case PAL_ANS_INVALID: return PAL_ANSWER_REFUSED;
	default: return PAL_ANSWER_NONE;
	}
}

int pal_town_results_answer_yes(const pal_town_results *tr, size_t i)
{
	pal_answer a = pal_dossier_answer(tr->d, i);
	return a.type == PAL_ANS_BOOL && a.v.b;
}

double pal_town_results_answer_number(const pal_town_results *tr, size_t i)
{
	pal_answer a = pal_dossier_answer(tr->d, i);
	return a.type == PAL_ANS_NUMBER ? a.v.num : 0;
}

size_t pal_town_results_answer_count_options(const pal_town_results *tr, size_t i)
{
	pal_answer a = pal_dossier_answer(tr->d, i);
	return a.type == PAL_ANS_CHOICE ? 1 : a.type == PAL_ANS_MULTI ? a.nchoices : 0;
}

size_t pal_town_results_answer_option(const pal_town_results *tr, size_t i, size_t k)
{
	pal_answer a = pal_dossier_answer(tr->d, i);
	return a.type == PAL_ANS_CHOICE ? a.v.choice : a.v.choices[k];
}

const char *pal_town_results_answer_text(const pal_town_results *tr, size_t i)
{
	pal_answer a = pal_dossier_answer(tr->d, i);
	return a.type == PAL_ANS_TEXT ? a.v.text : NULL;
}

/* As a CSV cell (dossier.c reads it back: answer.c's readers of each kind). */
size_t pal_town_results_answer_cell(const pal_town_results *tr, size_t i, char *buf, size_t len)
{
	const pal_criterion *cr = &tr->c->rubric->criteria[i];
	pal_answer a = pal_dossier_answer(tr->d, i);
	char num[64];
	size_t n = 0;
	if (len)
		buf[0] = '\0';
	switch (a.type) {
	case PAL_ANS_NA: return (size_t)snprintf(buf, len, "n/a");
	case PAL_ANS_BOOL: return (size_t)snprintf(buf, len, "%s", a.v.b ? "true" : "false");
	case PAL_ANS_NUMBER:
		if (eng_format_number_full(a.v.num, num, sizeof num) < 0)
			num[0] = '\0';
		return (size_t)snprintf(buf, len, "%s", num);
	case PAL_ANS_CHOICE: return (size_t)snprintf(buf, len, "%s", cr->options[a.v.choice].id);
	case PAL_ANS_MULTI:
		for (size_t k = 0; k < a.nchoices; k++) {
			const char *id = cr->options[a.v.choices[k]].id;
			int w = snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, "%s%s",
					 k ? "|" : "", id);
			n += w > 0 ? (size_t)w : 0;
		}
		return n;
	case PAL_ANS_TEXT: return (size_t)snprintf(buf, len, "%s", a.v.text);
	default: return 0;
	}
}

int pal_town_results_answer_ignored(const pal_town_results *tr, size_t i)
{
	return pal_dossier_answer(tr->d, i).ignored;
}

const char *pal_town_results_evidence(const pal_town_results *tr, size_t i)
{
	return eng_dossier_evidence(tr->d, i);
}

size_t pal_town_results_count_messages(const pal_town_results *tr)
{
	return tr->nmsgs;
}

const pal_town_message *pal_town_results_message(const pal_town_results *tr, size_t k)
{
	return &tr->msgs[k];
}

/* ---- one town's jury criterion (palmares/jury_view.h) ---- */

static const pal_mark *first_mark(const pal_town_results *tr, size_t i)
{
	const pal_criterion *cr = &tr->c->rubric->criteria[i];
	return cr->kind == PAL_KIND_JURY ? tr->d->marks[cr->jury_index] : NULL;
}

size_t pal_town_results_count_marks(const pal_town_results *tr, size_t i)
{
	size_t n = 0;
	for (const pal_mark *m = first_mark(tr, i); m; m = m->next)
		n++;
	return n;
}

void pal_town_results_mark(const pal_town_results *tr, size_t i, size_t k, const char **juror,
                           double *mark, const char **comment)
{
	const pal_mark *m = first_mark(tr, i);
	while (m && k--)
		m = m->next;
	*juror = m ? m->juror : NULL;
	*mark = m ? m->mark : 0;
	*comment = m && m->comment ? m->comment : "";
}

int pal_town_results_aggregate(const pal_town_results *tr, size_t i, double *aggregate, double *raw)
{
	int known = tr->counted && tr->c->rubric->criteria[i].kind == PAL_KIND_JURY &&
	            tr->crit[i].has_aggregate;
	*aggregate = known ? tr->crit[i].aggregate : 0;
	*raw = known ? tr->crit[i].aggregate_raw : 0;
	return known;
}

int pal_town_results_disagreement(const pal_town_results *tr, size_t i)
{
	return tr->counted && tr->c->rubric->criteria[i].kind == PAL_KIND_JURY &&
	       tr->crit[i].disagreement;
}
