// SPDX-License-Identifier: GPL-2.0
/*
 * Fixtures for coccinelle/gup_release.cocci. A line that the audit must
 * report carries an EXPECT comment naming the finding; any other report is
 * a false positive. Not meant to be compiled.
 */
#include <linux/mm.h>

struct buf {
	struct page **pages;
	struct page **gpages;
	int npages;
};

/* Correct: pin, unpin. */
static int ok_pin(unsigned long addr, struct page **pages, int n)
{
	int got = pin_user_pages_fast(addr, n, FOLL_WRITE, pages);

	if (got <= 0)
		return got;
	unpin_user_pages_dirty_lock(pages, got, true);
	return 0;
}

/* Correct: get, put_user_page. */
static int ok_get(unsigned long addr)
{
	struct page *page;

	if (get_user_pages_fast(addr, 1, 0, &page) != 1)
		return -EFAULT;
	put_user_page(page);
	return 0;
}

/* (a) in a loop and on an error path. */
static int bad_pin_loop(unsigned long addr, int n)
{
	struct page *pages[16];
	int i, got;

	got = pin_user_pages(addr, n, FOLL_WRITE, pages);
	if (got < n) {
		for (i = 0; i < got; i++)
			put_page(pages[i]); // EXPECT (a)
		return -EFAULT;
	}
	unpin_user_pages(pages, got);
	return 0;
}

/* (a) through a struct field, released in another function. */
static int pin_into_buf(struct buf *b, unsigned long addr)
{
	b->npages = pin_user_pages_fast(addr, 4, 0, b->pages);
	return b->npages < 0 ? b->npages : 0;
}

static void free_buf(struct buf *b)
{
	release_pages(b->pages, b->npages); // EXPECT (a)
}

/* (b) get released by unpin. */
static int bad_get_unpin(unsigned long addr)
{
	struct page *page;

	if (get_user_pages(addr, 1, 0, &page) != 1)
		return -EFAULT;
	unpin_user_page(page); // EXPECT (b)
	return 0;
}

/* (c) bare put_page and folio_put of FOLL_GET pages. */
static int bare_get(struct mm_struct *mm, unsigned long addr)
{
	struct page *page;
	struct folio *folio;

	page = get_user_page_vma_remote(mm, addr, 0, NULL);
	if (IS_ERR(page))
		return PTR_ERR(page);
	folio = page_folio(page);
	if (folio_test_anon(folio)) {
		folio_put(folio); // EXPECT (c)
		return 1;
	}
	put_page(page); // EXPECT (c)
	return 0;
}

/* (c) through a release helper defined in the same file. */
static void drop_all(int n, struct page **pp)
{
	int i;

	for (i = 0; i < n; i++)
		put_page(pp[i]);
}

static int get_with_helper(unsigned long addr, struct buf *b)
{
	int got = get_user_pages_fast(addr, 8, 0, b->gpages);

	if (got > 0)
		drop_all(got, b->gpages); // EXPECT (c)
	return got;
}

/* (d) FOLL_GET pages written through kmap. */
static int get_and_write(unsigned long addr)
{
	struct page *pages[2];
	void *p;
	int got = get_user_pages_fast(addr, 2, FOLL_WRITE, pages);

	if (got != 2)
		return -EFAULT;
	p = kmap_local_page(pages[0]); // EXPECT (d)
	memset(p, 0, PAGE_SIZE);
	kunmap_local(p);
	put_user_pages(pages, 2);
	return 0;
}

/* Correct: pinned pages mapped for DMA are fine. */
static int ok_pin_dma(struct device *dev, unsigned long addr)
{
	struct page *page;
	dma_addr_t dma;

	if (pin_user_pages_fast(addr, 1, FOLL_WRITE, &page) != 1)
		return -EFAULT;
	dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	unpin_user_page(page);
	return 0;
}

/* Correct: pages of the caller's own, not from GUP, with the same names. */
static void ok_own_pages(struct page **pages, struct page *page)
{
	put_page(page);
	release_pages(pages, 4);
}

/*
 * Correct: the release API itself, as include/linux/mm.h defines it, is
 * not a helper that releases with a bare put_page(), and its callers in
 * the same file are not flagged.
 */
static inline void put_user_page(struct page *page)
{
	put_page(page);
}

static void ok_api_in_same_file(unsigned long addr)
{
	struct page *page;

	if (get_user_pages(addr, 1, 0, &page) == 1)
		put_user_page(page);
}
