/*
 * `palmares explain`: one town's score, criterion by criterion, in plain
 * text, with the jury's marks and what is missing for the next level. Reads
 * the scored campaign only.
 */
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "model.h"
#include "num.h"
#include "score.h"
#include "text.h"

static const char *num(double x, char *b, size_t n)
{
	eng_format_number(x, b, n);
	return b;
}

/*
 * The answer as the results JSON shows it, written without allocating (a
 * jansson round trip here could fail out of memory and print "?" silently).
 */
static void answer_text(const pal_criterion *cr, const pal_answer *a, char *buf, size_t len)
{
	size_t o = 0;
	switch (a->type) {
	case PAL_ANS_NONE: snprintf(buf, len, "—"); return;
	case PAL_ANS_NA: snprintf(buf, len, "n/a"); return;
	case PAL_ANS_BOOL: snprintf(buf, len, "%s", a->v.b ? "true" : "false"); return;
	case PAL_ANS_NUMBER:
		if (eng_format_number_full(a->v.num, buf, len) < 0)
			snprintf(buf, len, "?");
		return;
	case PAL_ANS_CHOICE: snprintf(buf, len, "%s", cr->options[a->v.choice].id); return;
	case PAL_ANS_TEXT: snprintf(buf, len, "%s", a->v.text); return;
	case PAL_ANS_MULTI:
		buf[0] = '\0';
		for (size_t i = 0; i <= a->nchoices && o + 1 < len; i++) {
			int w = i == a->nchoices ? snprintf(buf + o, len - o, "]")
			                         : snprintf(buf + o, len - o, "%s\"%s\"", i ? "," : "[",
			                                    cr->options[a->v.choices[i]].id);
			if (w < 0)
				break;
			o += (size_t)w < len - o ? (size_t)w : len - o - 1;
		}
		if (a->nchoices == 0)
			snprintf(buf, len, "[]");
		return;
	default: snprintf(buf, len, "?"); return;
	}
}

static void explain_criterion(const pal_campaign *c, const pal_dossier *d, size_t i,
                              const pal_crit_result *res, const char *lang, FILE *out)
{
	const pal_rubric *r = c->rubric;
	const pal_criterion *cr = &r->criteria[i];
	char ans[96], b1[32], b2[32], b3[32];
	const char *title = eng_rubric_text(r, cr->title, lang);
	if (cr->kind == PAL_KIND_JURY) {
		if (res->has_aggregate)
			snprintf(ans, sizeof ans, "jury %s (%u mark%s)", num(res->aggregate, b1, sizeof b1),
			         res->nmarks, res->nmarks == 1 ? "" : "s");
		else
			snprintf(ans, sizeof ans, "jury: no mark yet");
	} else {
		pal_answer a = pal_dossier_answer(d, i);
		answer_text(cr, &a, ans, sizeof ans);
	}
	fprintf(out, "  %-28s ", cr->id);
	eng_print_cell(out, ans, 24);
	if (cr->kind == PAL_KIND_INFO)
		fputs("   (information, not scored)", out);
	else if (!res->applicable)
		fputs("   not applicable", out);
	else
		fprintf(out, " %6s %7s / %-7s", num(res->fraction, b1, sizeof b1),
		        num(res->points, b2, sizeof b2), num(res->max, b3, sizeof b3));
	fputc('\n', out);
	if (title && strcmp(title, cr->id) != 0)
		fprintf(out, "      %s\n", title);
	if (res->evidence_missing)
		fputs("      note: required evidence missing: scored 0\n", out);
	if (cr->kind == PAL_KIND_JURY) {
		for (const pal_mark *m = d->marks[cr->jury_index]; m; m = m->next)
			fprintf(out, "      %s: %s%s%s%s\n", m->juror, num(m->mark, b1, sizeof b1),
			        *m->comment ? " — \"" : "", m->comment, *m->comment ? "\"" : "");
		if (res->has_aggregate && r->calibrate_z)
			fprintf(out, "      aggregate %s (raw %s, calibrated)\n",
			        num(res->aggregate, b1, sizeof b1), num(res->aggregate_raw, b2, sizeof b2));
		if (res->disagreement)
			fputs("      ! jurors disagree: to deliberate\n", out);
		if (res->applicable && (int)res->nmarks < r->min_marks)
			fprintf(out, "      waiting for jury marks: %u of %d\n", res->nmarks, r->min_marks);
	}
}

static void explain_next(const pal_campaign *c, const pal_dossier *d, FILE *out)
{
	const pal_rubric *r = c->rubric;
	char b1[32], b2[32];
	if (d->status != PAL_STATUS_SCORED)
		return;
	if (!d->next_level) {
		fputs("\nTop level reached.\n", out);
		return;
	}
	const pal_level *l = &r->levels[d->next_level - 1];
	fprintf(out, "\nNext level: %d \"%s\" from %s %%", d->next_level, l->name,
	        num(l->min_percent, b1, sizeof b1));
	if (d->points_missing > 0)
		fprintf(out, ": %s points missing\n", num(d->points_missing, b2, sizeof b2));
	else
		fputs(": the score is enough\n", out);
	for (int k = 1; k <= d->next_level; k++)
		if ((d->unmet >> (k - 1)) & 1) {
			char *s = json_dumps(r->levels[k - 1].requires, JSON_COMPACT);
			fprintf(out, "  prerequisite of level %d \"%s\" not met: %s\n", k, r->levels[k - 1].name,
			        s ? s : "?");
			free(s);
		}
}

int pal_explain_write(const pal_campaign *c, const char *town_id, const char *lang, FILE *out)
{
	const pal_rubric *r = c->rubric;
	const pal_dossier *d = eng_campaign_find(c, town_id);
	char b1[32], b2[32], b3[32];
	if (!d || !c->scored)
		return 1;
	fprintf(out, "%s (%s) — %s %ld\n", d->town_name, d->town_id, r->id, r->edition);
	fprintf(out, "source: %s:%ld\n", d->file, d->line);
	if (d->status == PAL_STATUS_INVALID) {
		fputs("status: invalid (no score, no level)\n", out);
	} else {
		fprintf(out, "status: %s   score: %s / %s (%s %%)", d->status == PAL_STATUS_SCORED ?
		        "scored" : "pending", num(d->points, b1, sizeof b1), num(d->max, b2, sizeof b2),
		        num(d->percent, b3, sizeof b3));
		if (d->status == PAL_STATUS_SCORED)
			fprintf(out, "   level: %d \"%s\"   rank: %ld", d->level,
			        d->level ? r->levels[d->level - 1].name : "not labelled", d->rank);
		fputc('\n', out);
		if (d->has_override)
			fprintf(out, "override: computed level %d replaced by %d: %s\n", d->computed_level,
			        d->level, d->override_reason);
		for (size_t m = 0; d->status == PAL_STATUS_SCORED && m < r->nmentions; m++)
			if ((d->mentions >> m) & 1)
				fprintf(out, "mention: %s\n", eng_rubric_text(r, r->mentions[m].name, lang));
		eng_dossier_results(c, d, NULL, c->view_crit, c->view_cat);
		for (size_t k = 0; k < r->ncategories; k++) {
			const pal_category *cat = &r->categories[k];
			const pal_cat_result *cr = &d->cat[k];
			const char *t = eng_rubric_text(r, cat->title, lang);
			fprintf(out, "\n%s%s%s: %s / %s (%s %%)%s\n", cat->id, t ? " — " : "", t ? t : "",
			        num(cr->points, b1, sizeof b1), num(cr->max, b2, sizeof b2),
			        num(cr->max > 0 ? 100 * cr->points / cr->max : 0, b3, sizeof b3),
			        cat->exclude ? "  (criteria that do not apply are left out)" : "");
			for (size_t i = cat->first; i < cat->first + cat->count; i++)
				explain_criterion(c, d, i, &c->view_crit[i], lang, out);
		}
		explain_next(c, d, out);
	}
	int head = 0;
	for (const pal_msg *m = d->msgs; m; m = m->next) {
		if (!head++)
			fputc('\n', out);
		fprintf(out, "%s: %s\n", m->severity == PAL_ERROR ? "error" : "warning", m->text);
	}
	return ferror(out) ? -1 : 0;
}

size_t pal_campaign_towns_named(const pal_campaign *c, const char *name, const char **ids,
                                const char **names, size_t max)
{
	char *key = palx_text_fold(name);
	size_t n = 0;
	if (!key)
		return 0;
	for (size_t k = 0; *key && k < c->ndossiers; k++) {
		const pal_dossier *d = c->dossiers[k];
		int seen = 0;
		if (!d->town_name || !palx_text_fold_eq(d->town_name, key))
			continue;
		/* a town submitted twice is one town (its id is the duplicate error) */
		for (size_t i = 0; i < n && i < max; i++)
			seen |= strcmp(ids[i], d->town_id) == 0;
		if (seen)
			continue;
		if (n < max) {
			ids[n] = d->town_id;
			names[n] = d->town_name;
		}
		n++;
	}
	free(key);
	return n;
}
