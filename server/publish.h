/*
 * The publication (publish.c): the organizer freezes the scored campaign's
 * results as a new version in the store (store_publish.h), the documents
 * are rendered from that stored JSON and kept beside the database, the
 * town downloads its own report and certificate, /verify answers for the
 * codes of every version (an older version's shown as superseded), and
 * anyone reads the palmarès. pages.c's router table names the handlers.
 */
#ifndef PALMARES_SERVER_PUBLISH_H
#define PALMARES_SERVER_PUBLISH_H

#include "http.h"

void publish_get(http_req *r, http_resp *out);                /* GET /organizer/publish */
void publish_post(http_req *r, http_resp *out);               /* POST /organizer/publish */
void published_certificates_pdf(http_req *r, http_resp *out); /* GET /organizer/publish/certificates.pdf */
void published_booklet_pdf(http_req *r, http_resp *out);      /* GET /organizer/publish/booklet.pdf */
void town_report_pdf(http_req *r, http_resp *out);            /* GET /dossier/report.pdf */
void town_certificate_pdf(http_req *r, http_resp *out);       /* GET /dossier/certificate.pdf */
void palmares_get(http_req *r, http_resp *out);               /* GET /palmares */

/* The home page's links once published: the town's documents, the palmarès. */
void publish_home_links(html *h, const http_req *r);

/* /verify in the published versions: 1 when a version's certificate
 * carries code (normalized), its table written into h (with the
 * superseded notice when the version is not the latest), else 0. */
int publish_verify(http_req *r, html *h, const char *code);

/* Frees the loaded published results (at the server's stop). */
void publish_cache_free(void);

/* The folder beside the database holding version's documents:
 * "DB.published/vN" into buf; -1 when it does not fit. */
int publish_dir(const char *db_path, int64_t version, char *buf, size_t len);

#endif
