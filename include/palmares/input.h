/*
 * palmares — opening an input (docs/limits.md, "What an input can cost").
 *
 * Every file the library reads is opened here, and so should a program's own
 * inputs be (the command line's `rule @FILE`): never waiting on open, never
 * reading a device, saying what a refused path is.
 */
#ifndef PALMARES_INPUT_H
#define PALMARES_INPUT_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* pal_input_open() flags. */
#define PAL_INPUT_STREAM 0x1 /* a pipe or FIFO is accepted too (read once, in order) */

/*
 * Opens an input without ever blocking (issue 19, item 10): only a regular
 * file, or with PAL_INPUT_STREAM also a pipe or FIFO (an open that waits for
 * its writer, as the person feeding it asked). A device (/dev/zero, a
 * terminal), a socket or a directory is refused without being read. Returns
 * an owned FILE (fclose), with *size the file's size, or -1 for a stream;
 * or NULL with the reason in why ("No such file or directory", "not a
 * regular file but a character device").
 */
FILE *pal_input_open(const char *path, unsigned flags, long long *size, char *why, size_t whylen);

#ifdef __cplusplus
}
#endif
#endif
