/*
 * Invitation links: a new single-use token per person, stored hashed
 * (store_invitation_add), shown once as BASE/login/TOKEN. Since only hashes
 * are kept, listing the links means issuing new ones; the old ones stay
 * valid until used or expired. Used by `palmares campaign init` (the
 * organizer's link), `palmares campaign links` and /organizer/links.csv.
 */
#ifndef PALMARES_SERVER_LINKS_H
#define PALMARES_SERVER_LINKS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define LINKS_URL_SIZE 700

/* A new link for person into url (LINKS_URL_SIZE bytes): base (no final
 * '/') + "/login/" + token, valid until now + ttl. */
store_status links_issue(store *s, int64_t person, const char *base, int64_t now, int64_t ttl, char *url);

/* New links for every person, as CSV (header role,id,name,email,link; RFC
 * 4180 quoting; a cell starting with = + - @ gets a leading ' so that a
 * spreadsheet does not run it). Returns the owned text (free()) and its
 * length in *len, or NULL with the reason in *st. */
char *links_csv(store *s, const char *base, int64_t now, int64_t ttl, size_t *len, store_status *st);

#endif
