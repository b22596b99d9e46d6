/*
 * The index of long mark lists (engine/markindex.c): a juror's earlier mark
 * is found wherever it is in the list, marks are appended in order, and the
 * index can be dropped while the lists change, then rebuilt (as scoring does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "markindex.h"

#define N 2000

static pal_mark marks[N];

static pal_mark *mark(uint32_t jid)
{
	pal_mark *m = &marks[jid];
	m->juror_id = jid;
	m->next = NULL;
	return m;
}

static void check_order(pal_mark *head, uint32_t from, uint32_t to)
{
	uint32_t want = from;
	for (pal_mark *m = head; m; m = m->next)
		assert_int_equal(m->juror_id, want++);
	assert_int_equal(want, to);
}

static void test_append_and_duplicates(void **state)
{
	(void)state;
	void *index = NULL;
	pal_mark *heads[2] = {NULL, NULL};
	/* A list longer than PAL_MARK_SCAN, as marks.c hands it over. */
	pal_mark **tail = &heads[0];
	for (uint32_t j = 0; j <= PAL_MARK_SCAN; j++) {
		*tail = mark(j);
		tail = &(*tail)->next;
	}
	for (uint32_t j = PAL_MARK_SCAN + 1; j < N / 2; j++)
		assert_null(eng_mark_index_append(&index, &heads[0], mark(j)));
	check_order(heads[0], 0, N / 2);
	/* A second juror's mark, early or late in the list, is the one found. */
	pal_mark again = {.juror_id = 3};
	assert_ptr_equal(eng_mark_index_append(&index, &heads[0], &again), &marks[3]);
	again.juror_id = N / 2 - 1;
	assert_ptr_equal(eng_mark_index_append(&index, &heads[0], &again), &marks[N / 2 - 1]);
	check_order(heads[0], 0, N / 2);
	/* Another list in the same index does not see the first one's jurors. */
	tail = &heads[1];
	for (uint32_t j = N / 2; j <= N / 2 + PAL_MARK_SCAN; j++) {
		*tail = mark(j);
		tail = &(*tail)->next;
	}
	pal_mark other = {.juror_id = 3};
	assert_null(eng_mark_index_append(&index, &heads[1], &other));
	/* Dropped, the list cut short, then indexed again: appends go to the new end. */
	eng_mark_index_free(&index);
	assert_null(index);
	marks[99].next = NULL;
	assert_null(eng_mark_index_append(&index, &heads[0], mark(100)));
	assert_ptr_equal(marks[99].next, &marks[100]);
	assert_null(eng_mark_index_append(&index, &heads[0], mark(101)));
	check_order(heads[0], 0, 102);
	eng_mark_index_free(&index);
	eng_mark_index_free(&index); /* a freed index is NULL: freeing it again is a no-op */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_duplicates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
