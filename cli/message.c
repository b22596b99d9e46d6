/*
 * The message funnel of the command line (message.h): prefix, newline and
 * translation of every line palmares says on stderr, in one place, so that a
 * new language is a catalogue (po/) and never an edit of the commands.
 */
#include "message.h"

#include <stdio.h>

#include "palmares/documents.h"

const char *cli_tr(const char *msgid)
{
	return pal_doc_gettext(pal_doc_env_lang(), msgid);
}

/*
 * Writes prefix, fmt and "\n" as one line, the whole line looked up in the
 * catalogue: a translation may move the words around the prefix.
 */
static void say(const char *prefix, const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof line, "%s%s\n", prefix, fmt);
	if (n < 0 || (size_t)n >= sizeof line) {
		/* longer than any message of palmares: said as it is, untranslated */
		fputs(prefix, stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return;
	}
	vfprintf(stderr, cli_tr(line), ap);
}

void cli_verror(const char *fmt, va_list ap)
{
	say("palmares: error: ", fmt, ap);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("palmares: error: ", fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("palmares: warning: ", fmt, ap);
	va_end(ap);
}

void cli_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("palmares: ", fmt, ap);
	va_end(ap);
}

void cli_diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("", fmt, ap);
	va_end(ap);
}

void cli_usage(const char *usage, int to_stdout)
{
	fputs(cli_tr(usage), to_stdout ? stdout : stderr);
}
