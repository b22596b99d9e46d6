/*
 * Finding a juror's mark in a long list (engine/markindex.c): what makes
 * attaching one mark O(1) however many jurors mark the same criterion of the
 * same town (issue 19, item 6).
 */
#ifndef PAL_MARKINDEX_H
#define PAL_MARKINDEX_H

#include "model.h"

/*
 * Lists up to this long are scanned: a real campaign has three to five marks
 * per criterion per town and pays nothing for the index.
 */
#define PAL_MARK_SCAN 8

/*
 * Appends m to the list at head unless a mark of the same juror is in it.
 * Returns NULL when m was appended, that juror's earlier mark (m not
 * appended), or m itself when out of memory (m not appended). *index is the
 * campaign's table (NULL at first); the list at head must be longer than
 * PAL_MARK_SCAN, and only change through this function while the index
 * lives (eng_mark_index_free() before anything else edits the lists).
 */
pal_mark *eng_mark_index_append(void **index, pal_mark **head, pal_mark *m);
/* Frees the index (accepts NULL); *index becomes NULL. */
void eng_mark_index_free(void **index);

#endif
