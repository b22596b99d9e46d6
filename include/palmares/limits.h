/*
 * palmares — input limits (docs/limits.md).
 *
 * Every loader caps what one hostile or broken input can cost: the size of a
 * file, the length of a CSV field, the number of fields in a record, the
 * steps a rule may take. The caps are process-wide, set once before any
 * loading (the command line reads them from PALMARES_MAX_* environment
 * variables at start-up) and only read afterwards, so threads may load and
 * render concurrently.
 *
 * Limits that protect the stack (rule nesting, PAL_RULE_MAX_DEPTH; JSON
 * nesting, jansson's 2048 levels) and the rubric's own size are fixed: no
 * real campaign comes near them, and raising them could crash the process.
 */
#ifndef PALMARES_LIMITS_H
#define PALMARES_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pal_limits {
	size_t max_file;      /* largest CSV file (streamed), bytes; PALMARES_MAX_FILE */
	size_t max_json;      /* largest JSON or JSON Lines file (read whole), bytes; PALMARES_MAX_JSON */
	size_t max_field;     /* longest CSV field, bytes; PALMARES_MAX_FIELD */
	size_t max_columns;   /* most fields in one CSV record; PALMARES_MAX_COLUMNS */
	long max_rule_steps;  /* most evaluation steps of one rule run; PALMARES_MAX_RULE_STEPS */
} pal_limits;

/* Defaults, documented in docs/limits.md. */
#if SIZE_MAX > 0xFFFFFFFFu
#define PAL_LIMIT_FILE ((size_t)4 << 30)
#else
#define PAL_LIMIT_FILE SIZE_MAX
#endif
#define PAL_LIMIT_JSON ((size_t)1 << 30)
#define PAL_LIMIT_FIELD ((size_t)1 << 20)
#define PAL_LIMIT_COLUMNS ((size_t)10000)
#define PAL_LIMIT_RULE_STEPS 10000000L

/*
 * Fixed limits on a style's logo (docs/limits.md): its PNG header is read
 * first and a larger image is refused before it is decoded. Each rendering
 * job decodes its own copy, 4 bytes a pixel: 64 MiB at most. Beyond 32767
 * pixels a side cairo cannot hold the image at all.
 */
#define PAL_LOGO_MAX_SQUARE 4096
#define PAL_LOGO_MAX_PIXELS ((unsigned long)PAL_LOGO_MAX_SQUARE * PAL_LOGO_MAX_SQUARE)
#define PAL_LOGO_MAX_SIDE 32767

/* Copies the limits in force (the defaults until pal_limits_set is called). */
void pal_limits_get(pal_limits *out);
/* Borrowed, valid for the life of the process; read-only. */
const pal_limits *pal_limits_current(void);

/*
 * Sets the process-wide limits; a field left 0 takes its default, a value
 * above pal_limits_max() is lowered to it. Call before loading anything (it
 * is not synchronised with loaders running in threads).
 */
void pal_limits_set(const pal_limits *l);

/*
 * The largest value the code honours for limit `which`, in the order of the
 * fields of pal_limits (0 max_file … 4 max_rule_steps): 1024 TiB for a
 * streamed file, 1 TiB (at most a quarter of the address space) for what is
 * held in memory, 16777216 columns, LONG_MAX steps. docs/limits.md lists them.
 */
unsigned long long pal_limits_max(int which);

/*
 * Reads PALMARES_MAX_FILE, PALMARES_MAX_JSON, PALMARES_MAX_FIELD (sizes: a
 * whole number, optionally followed by K, M, G or T, powers of 1024, and an
 * optional "B" or "iB"), PALMARES_MAX_COLUMNS and PALMARES_MAX_RULE_STEPS
 * (whole numbers) from the environment into *l, starting from the limits in
 * force. A value above pal_limits_max() is invalid. Returns 0, or -1 with a
 * message in err (the first invalid variable: "PALMARES_MAX_FIELD: expected a
 * size from 1 to 1T such as 4M or 2G, found \"x\"").
 */
int pal_limits_from_env(pal_limits *l, char *err, size_t errlen);

/*
 * Makes the library notice every allocation of jansson's that fails while it
 * parses an input, by wrapping jansson's allocator (json_set_alloc_funcs),
 * keeping whatever functions were installed before. jansson 2.14 does not
 * always say it ran out of memory: a string that cannot grow may silently
 * lose a character, or the parse fail as a syntax error. With the wrapper,
 * such a parse is reported as out of memory instead. Without it, the library
 * works the same but cannot tell.
 *
 * jansson's allocator is process-wide: the library never changes it by
 * itself. A program decides: the command line calls this at start-up; a
 * program that also uses jansson may call it too (its own parses are then
 * counted, harmlessly) or not. Call it once, before any thread loads; later
 * calls do nothing.
 */
void pal_json_watch_allocations(void);

#ifdef __cplusplus
}
#endif
#endif
