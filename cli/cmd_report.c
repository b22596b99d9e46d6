/* palmares report: feedback report per dossier (SPEC §8). */
#include "commands.h"
#include "docargs.h"

cli_status cmd_report(int argc, char **argv)
{
	return docargs_run(argc, argv, PAL_DOC_REPORT,
	                   "usage: palmares report RESULTS -o OUT.pdf|DIR/ [--town ID]...\n"
	                   "         [--style STYLE.json] [--lang fr|en] [--format pdf|png] [--dpi N]\n"
	                   "         [--jobs N]\n"
	                   "One or more A4 pages per dossier; -o DIR/ writes DIR/<town>.pdf.\n");
}
