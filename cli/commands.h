/*
 * Subcommands of the palmares command. Each lives in cli/cmd_<name>.c and
 * returns the process exit status (SPEC.md §7: 0 ok, 1 input rejected,
 * 2 usage or I/O error).
 *
 * To add a command: write cli/cmd_<name>.c, declare it here, add its row to
 * the table in main.c and its file to cli/meson.build.
 */
#ifndef PALMARES_CLI_COMMANDS_H
#define PALMARES_CLI_COMMANDS_H

#define EXIT_OK 0
#define EXIT_REJECTED 1
#define EXIT_USAGE 2

int cmd_certificates(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_booklet(int argc, char **argv);
int cmd_verify(int argc, char **argv);

int cmd_rule(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_explain(int argc, char **argv);

/* Jury workflow (SPEC §9): cmd_assign.c, cmd_sheets.c, cmd_progress.c, cmd_sensitivity.c. */
int cmd_assign(int argc, char **argv);
int cmd_sheets(int argc, char **argv);
int cmd_progress(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);



#endif
