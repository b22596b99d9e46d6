/*
 * Shared command-line handling of the document commands (certificates,
 * report, booklet): option parsing, loading the results and style, and
 * rendering to a file or a directory. Private to cli/.
 */
#ifndef PALMARES_CLI_DOCARGS_H
#define PALMARES_CLI_DOCARGS_H

#include "palmares/documents.h"

#include "message.h"
#include "status.h"

/*
 * Runs a document command: argv as given to the subcommand, kind the
 * document, usage its usage lines (English: translated when printed).
 */
cli_status docargs_run(int argc, char **argv, pal_doc_kind kind, const char *usage);

/*
 * --secret-file FILE of certificates and verify: reads the campaign secret
 * and keys r's codes with it. Returns 0, or -1 with the reason in d.
 */
int docargs_key(pal_doc_results *r, const char *secret_file, pal_diags *d);

#endif
