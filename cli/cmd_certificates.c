/* palmares certificates: one A4 landscape certificate per labelled town (SPEC §8). */
#include "commands.h"
#include "docargs.h"

cli_status cmd_certificates(int argc, char **argv)
{
	return docargs_run(argc, argv, PAL_DOC_CERTIFICATES,
	                   "usage: palmares certificates RESULTS -o OUT.pdf|DIR/ [--town ID]...\n"
	                   "         [--style STYLE.json] [--lang fr|en] [--verify-url TEMPLATE]\n"
	                   "         [--format pdf|png] [--dpi N] [--jobs N] [--secret-file FILE]\n"
	                   "One page per town with a level; -o DIR/ writes DIR/<town>.pdf.\n"
	                   "--verify-url adds a QR code of TEMPLATE with {code} replaced.\n"
	                   "--secret-file keys the codes with the campaign secret in FILE.\n");
}
