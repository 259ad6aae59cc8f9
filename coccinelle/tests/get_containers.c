// SPDX-License-Identifier: GPL-2.0
/*
 * Fixtures for coccinelle/gup_release.cocci: FOLL_GET pages that travel
 * through an sg_table and a bio. They pair through the container kind
 * within a file, so they are kept apart from the FOLL_PIN cases of
 * data_flow.c. EXPECT marks what must be reported; nothing else may be.
 * Not meant to be compiled.
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/bio.h>

struct xfer {
	struct sg_table sgt;
	struct page **pages;
	int nr;
};

/* 21. (c) FOLL_GET pages in an sg_table, put back through the table. */
static int get_to_sgt(struct xfer *x, unsigned long addr)
{
	int got = get_user_pages_fast(addr, x->nr, 0, x->pages);

	if (got != x->nr)
		return -EFAULT;
	return sg_alloc_table_from_pages(&x->sgt, x->pages, got, 0, got * PAGE_SIZE, GFP_KERNEL);
}

static void put_sgt(struct xfer *x)
{
	struct sg_page_iter piter;

	for_each_sgtable_page(&x->sgt, &piter, 0)
		put_page(sg_page_iter_page(&piter)); // EXPECT (c)
}

/* 29. (c) through bio_add_page() and the bio's bio_vecs. */
static void get_into_bio(struct bio *bio, unsigned long uaddr)
{
	struct page *page;
	struct bio_vec *bv;
	struct bvec_iter_all iter;

	if (get_user_pages_fast(uaddr, 1, 0, &page) != 1)
		return;
	bio_add_page(bio, page, PAGE_SIZE, 0);
	bio_for_each_segment_all(bv, bio, iter)
		put_page(bv->bv_page); // EXPECT (c)
}
