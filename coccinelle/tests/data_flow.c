// SPDX-License-Identifier: GPL-2.0
/*
 * Fixtures for coccinelle/gup_release.cocci: pages followed through folio
 * conversions, scatterlists, sg_tables, bio_vecs, macros, helpers, fields
 * and return values. EXPECT marks what must be reported; nothing else may
 * be. Not meant to be compiled.
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/bvec.h>
#include <linux/bio.h>
#include <linux/uio.h>

struct xfer {
	struct sg_table sgt;
	struct page **pages;
	int nr;
	struct bio_vec *bv;
};

/* 17. (a) pinned pages released after a folio conversion (fuse shape). */
static void pin_folio_put(unsigned long addr, struct page **pages, int n)
{
	int i, got = pin_user_pages_fast(addr, n, 0, pages);

	for (i = 0; i < got; i++) {
		struct folio *folio = page_folio(pages[i]);

		folio_put(folio); // EXPECT (a)
	}
}

/* 18. (a) folio_put(page_folio()) in place. */
static void pin_folio_put_inline(unsigned long addr)
{
	struct page *page;

	if (pin_user_pages_fast(addr, 1, FOLL_WRITE, &page) == 1)
		folio_put(page_folio(page)); // EXPECT (a)
}

/* 19. Correct: unpin_folio() after the conversion. */
static void ok_pin_unpin_folio(unsigned long addr)
{
	struct page *page;
	struct folio *folio;

	if (pin_user_pages_fast(addr, 1, FOLL_WRITE, &page) != 1)
		return;
	folio = page_folio(page);
	unpin_folio(folio);
}

/*
 * 20. (a) pinned pages that travel through a scatterlist and are released
 * from it with put_page(sg_page()) (netfs extract_user_to_sg shape).
 */
static int pin_to_sg(struct scatterlist *sgl, unsigned long addr, int n)
{
	struct page *pages[8];
	struct scatterlist *sg;
	int i, got = pin_user_pages_fast(addr, n, FOLL_WRITE, pages);

	for_each_sg(sgl, sg, got, i)
		sg_set_page(sg, pages[i], PAGE_SIZE, 0);
	return got;
}

static void release_sg(struct scatterlist *sgl, int n)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, n, i)
		put_page(sg_page(sg)); // EXPECT (a)
}

/* 22. (a) bio_vecs filled from iov_iter_extract_pages(), put with put_page(). */
static ssize_t extract_to_bvec(struct iov_iter *iter, struct bio_vec *bv, int max)
{
	struct page **pages = NULL;
	size_t off;
	ssize_t got = iov_iter_extract_pages(iter, &pages, SZ_1M, max, 0, &off);
	int i;

	for (i = 0; i < got / PAGE_SIZE; i++)
		bvec_set_page(&bv[i], pages[i], PAGE_SIZE, 0);
	kvfree(pages);
	return got;
}

static void release_bvec(struct bio_vec *bv, int n)
{
	int i;

	for (i = 0; i < n; i++)
		put_page(bv[i].bv_page); // EXPECT (a)
}

/* 23. Correct: the same bio_vecs unpinned. */
static void ok_unpin_bvec(struct bio *bio)
{
	struct bio_vec *bv;
	struct bvec_iter_all iter;

	bio_for_each_segment_all(bv, bio, iter)
		unpin_user_page(bv->bv_page);
}

/* 24. (a) a release hidden in a macro that wraps put_page(). */
#define XFER_DROP(p) put_page(p)

static void pin_macro_release(unsigned long addr)
{
	struct page *page;

	if (pin_user_pages_fast(addr, 1, 0, &page) == 1)
		XFER_DROP(page); // EXPECT (a)
}

/* 25. (c) a release helper defined in the same file. */
static void drop_all(int n, struct page **pp)
{
	int i;

	for (i = 0; i < n; i++)
		put_page(pp[i]);
}

static int get_with_helper(unsigned long addr, struct xfer *x)
{
	int got = get_user_pages_fast(addr, 8, 0, x->pages);

	if (got > 0)
		drop_all(got, x->pages); // EXPECT (c)
	return got;
}

/* 26. (a) pages pinned in a helper that returns them (io_uring io_pin_pages shape). */
static struct page **pin_range(unsigned long uaddr, int nr)
{
	struct page **pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL);

	if (pin_user_pages_fast(uaddr, nr, FOLL_WRITE | FOLL_LONGTERM, pages) != nr)
		return NULL;
	return pages;
}

static void use_range(unsigned long uaddr)
{
	struct page **pages = pin_range(uaddr, 4);

	if (pages)
		release_pages(pages, 4); // EXPECT (a)
}

/* 27. (a) pages pinned through an output parameter of a helper. */
static int pin_into(unsigned long uaddr, struct page **out, int nr)
{
	return pin_user_pages_fast(uaddr, nr, 0, out);
}

static void use_pin_into(unsigned long uaddr)
{
	struct page *pages[4];
	int i, got = pin_into(uaddr, pages, 4);

	for (i = 0; i < got; i++)
		put_page(pages[i]); // EXPECT (a)
}

/* 28. (c) an alias of one element of the array. */
static void get_alias(unsigned long uaddr, struct page **pages)
{
	struct page *p;
	int got = get_user_pages_fast(uaddr, 2, 0, pages);

	if (got != 2)
		return;
	p = pages[1];
	put_page(p); // EXPECT (c)
	put_user_page(pages[0]);
}

/* 30. (a) pinned pages through the page at an offset in the array. */
static void pin_offset(unsigned long uaddr, struct page **pages, int done)
{
	int got = pin_user_pages_fast(uaddr, 4, 0, pages + done);

	if (got < 4)
		release_pages(pages, done + got); // EXPECT (a)
}

/* 31. (a) an acquire wrapped in a macro, released as FOLL_GET. */
#define XFER_PIN(addr, n, pp) pin_user_pages_fast((addr), (n), FOLL_WRITE, (pp))

static void pin_by_macro(unsigned long addr, struct page **pages)
{
	int i, got = XFER_PIN(addr, 4, pages);

	for (i = 0; i < got; i++)
		put_page(pages[i]); // EXPECT (a)
}
