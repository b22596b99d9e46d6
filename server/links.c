/*
 * Invitation links (links.h): tokens from auth.c, hashes into the store,
 * and the CSV of every person's new link for a mail merge.
 */
#include "links.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "csvout.h"

store_status links_issue(store *s, int64_t person, const char *base, int64_t now, int64_t ttl, char *url)
{
	unsigned char raw[AUTH_TOKEN_BYTES], hash[AUTH_HASH_BYTES];
	char text[AUTH_TOKEN_TEXT_SIZE];
	store_status st;
	if (auth_token_new(raw, text) != AUTH_OK)
		return STORE_ERROR;
	auth_token_hash(raw, hash);
	st = store_invitation_add(s, person, hash, now + ttl);
	if (st != STORE_OK)
		return st;
	if ((size_t)snprintf(url, LINKS_URL_SIZE, "%s/login/%s", base, text) >= LINKS_URL_SIZE)
		return STORE_ERROR;
	return STORE_OK;
}

struct person_row {
	int64_t id;
	permit_role role;
	char *town_id, *name, *email;
};

struct people {
	struct person_row *v;
	size_t n, cap;
	int nomem;
};

static int collect(void *ctx, int64_t id, permit_role role, const char *town_id, const char *name,
		   const char *email)
{
	struct people *p = ctx;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct person_row *v = realloc(p->v, cap * sizeof *v);
		if (!v) {
			p->nomem = 1;
			return 1;
		}
		p->v = v;
		p->cap = cap;
	}
	struct person_row *r = &p->v[p->n];
	r->id = id;
	r->role = role;
	r->town_id = town_id ? strdup(town_id) : NULL;
	r->name = strdup(name ? name : "");
	r->email = strdup(email ? email : "");
	if ((town_id && !r->town_id) || !r->name || !r->email) {
		free(r->town_id);
		free(r->name);
		free(r->email);
		p->nomem = 1;
		return 1;
	}
	p->n++;
	return 0;
}

char *links_csv(store *s, const char *base, int64_t now, int64_t ttl, size_t *len, store_status *st)
{
	struct people p = {NULL, 0, 0, 0};
	csvout b = {NULL, 0, 0, 0};
	char url[LINKS_URL_SIZE], id[32];
	*st = store_people_list(s, collect, &p);
	if (*st == STORE_OK && p.nomem)
		*st = STORE_NOMEM;
	csvout_cell(&b, "role", 0);
	csvout_cell(&b, "id", 0);
	csvout_cell(&b, "name", 0);
	csvout_cell(&b, "email", 0);
	csvout_cell(&b, "link", 1);
	for (size_t i = 0; *st == STORE_OK && i < p.n; i++) {
		struct person_row *r = &p.v[i];
		*st = links_issue(s, r->id, base, now, ttl, url);
		if (*st != STORE_OK)
			break;
		snprintf(id, sizeof id, "%" PRId64, r->id);
		csvout_cell(&b, permit_role_name(r->role), 0);
		csvout_cell(&b, r->town_id ? r->town_id : id, 0);
		csvout_cell(&b, r->name, 0);
		csvout_cell(&b, r->email, 0);
		csvout_cell(&b, url, 1);
	}
	for (size_t i = 0; i < p.n; i++) {
		free(p.v[i].town_id);
		free(p.v[i].name);
		free(p.v[i].email);
	}
	free(p.v);
	if (*st == STORE_OK && b.nomem)
		*st = STORE_NOMEM;
	if (*st != STORE_OK) {
		free(b.s);
		return NULL;
	}
	*len = b.len;
	return b.s;
}
