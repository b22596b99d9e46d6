/*
 * palmares — progress of long runs: one callback type for the engine
 * (pal_campaign_set_progress, palmares.h) and the renderer
 * (pal_doc_options.progress, documents.h).
 */
#ifndef PALMARES_PROGRESS_H
#define PALMARES_PROGRESS_H

#include <stdint.h>

/*
 * Called with the phase ("reading", "scoring", "writing", "rendering"), the
 * units done and their total (bytes while reading; dossiers or towns after;
 * total 0 when unknown). It is called often: fn must be cheap and rate-limit
 * its own output. Each caller says from which threads it calls.
 */
typedef void (*pal_progress_fn)(void *ctx, const char *phase, uint64_t done, uint64_t total);

#endif
