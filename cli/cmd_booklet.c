/* palmares booklet: the ceremony booklet (SPEC §8). */
#include "commands.h"
#include "docargs.h"

cli_status cmd_booklet(int argc, char **argv)
{
	return docargs_run(argc, argv, PAL_DOC_BOOKLET,
	                   "usage: palmares booklet RESULTS -o OUT.pdf [--style STYLE.json]\n"
	                   "         [--lang fr|en] [--format pdf|png] [--dpi N]\n"
	                   "Cover, laureates by level and name, statistics.\n");
}
