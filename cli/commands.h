/*
 * Subcommands of the palmares command. Each lives in cli/cmd_<name>.c and
 * returns how the run went (status.h); main() alone turns that into the exit
 * status (SPEC.md §7). Messages go through message.h, options through
 * options.h.
 *
 * To add a command: write cli/cmd_<name>.c — its options a cli_option table
 * (options.h; args_parse() for a command that reads a campaign), its messages
 * through cli_error()/cli_warn()/cli_note() (message.h), its result a
 * cli_status (status.h) — declare it here, add its row to the table in main.c
 * and its file to cli/meson.build.
 */
#ifndef PALMARES_CLI_COMMANDS_H
#define PALMARES_CLI_COMMANDS_H

#include "message.h"
#include "options.h"
#include "status.h"

cli_status cmd_certificates(int argc, char **argv);
cli_status cmd_report(int argc, char **argv);
cli_status cmd_booklet(int argc, char **argv);
cli_status cmd_verify(int argc, char **argv);

cli_status cmd_rule(int argc, char **argv);
cli_status cmd_validate(int argc, char **argv);
cli_status cmd_template(int argc, char **argv);
cli_status cmd_check(int argc, char **argv);
cli_status cmd_score(int argc, char **argv);
cli_status cmd_explain(int argc, char **argv);

/* Jury workflow (SPEC §9): cmd_assign.c, cmd_sheets.c, cmd_progress.c, cmd_sensitivity.c. */
cli_status cmd_assign(int argc, char **argv);
cli_status cmd_sheets(int argc, char **argv);
cli_status cmd_progress(int argc, char **argv);
cli_status cmd_sensitivity(int argc, char **argv);

/* The online campaign (issue 11, docs/web.md): cmd_campaign.c, cmd_serve.c, over server/. */
cli_status cmd_campaign(int argc, char **argv);
cli_status cmd_serve(int argc, char **argv);

#endif
