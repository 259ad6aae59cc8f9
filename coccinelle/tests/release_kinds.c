// SPDX-License-Identifier: GPL-2.0
/*
 * Fixtures for coccinelle/gup_release.cocci: which release fits which
 * acquire, (a) to (c). A line that the audit must report carries an
 * EXPECT comment naming the finding; any other report is a false
 * positive. Each case names the kernel code whose shape it follows. Not
 * meant to be compiled.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

struct region {
	struct page **pages;
	struct page **gpages;
	unsigned long npages;
	bool writable;
};

/* 1. Correct: pin, unpin with dirty (drivers/infiniband/hw/hfi1/user_pages.c). */
static int ok_pin_dirty(unsigned long addr, struct page **pages, int n)
{
	int got = pin_user_pages_fast(addr, n, FOLL_WRITE | FOLL_LONGTERM, pages);

	if (got <= 0)
		return got;
	unpin_user_pages_dirty_lock(pages, got, true);
	return 0;
}

/* 2. Correct: get, put_user_page (kernel/events/uprobes.c, after the series). */
static int ok_get(unsigned long addr)
{
	struct page *page;

	if (get_user_pages_fast(addr, 1, 0, &page) != 1)
		return -EFAULT;
	put_user_page(page);
	return 0;
}

/*
 * 3. (a) on the error path of a partial pin (the io_uring and tee error
 * paths before their conversion to unpin_user_pages()).
 */
static int bad_pin_partial(unsigned long addr, int n)
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

/* 4. (a) through a struct field, released in another function (dfl-afu-dma-region). */
static int region_pin(struct region *r, unsigned long addr)
{
	long got = pin_user_pages_fast(addr, r->npages, FOLL_WRITE, r->pages);

	return got == r->npages ? 0 : -EFAULT;
}

static void region_unpin(struct region *r)
{
	release_pages(r->pages, r->npages); // EXPECT (a)
}

/* 5. (a) released by put_user_pages(): the FOLL_GET twin (vfio type1 shape). */
static void bad_pin_put_user(unsigned long addr)
{
	struct page *page;

	if (pin_user_pages_fast(addr, 1, FOLL_WRITE, &page) == 1)
		put_user_page(page); // EXPECT (a)
}

/* 6. (b) get released by unpin (gup_test before DUMP_USER_PAGES_TEST took a flag). */
static int bad_get_unpin(unsigned long addr)
{
	struct page *page;

	if (get_user_pages(addr, 1, 0, &page) != 1)
		return -EFAULT;
	unpin_user_page(page); // EXPECT (b)
	return 0;
}

/* 7. (b) with unpin_user_pages_dirty_lock() (vmci queue pair shape). */
static void bad_get_unpin_dirty(unsigned long addr, struct page **pages, int n)
{
	int got = get_user_pages_fast(addr, n, FOLL_WRITE, pages);

	if (got > 0)
		unpin_user_pages_dirty_lock(pages, got, false); // EXPECT (b)
}

/* 8. (c) bare put_page() and folio_put() of a remote page (mm/rmap.c). */
static int bare_get_remote(struct mm_struct *mm, unsigned long addr)
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

/* 9. (c) release_pages() of FOLL_GET pages (net/rds/info.c). */
static int bare_release_pages(unsigned long addr, int n)
{
	struct page **pages = kcalloc(n, sizeof(*pages), GFP_KERNEL);
	int got = get_user_pages_fast(addr, n, FOLL_WRITE, pages);

	if (got > 0)
		release_pages(pages, got); // EXPECT (c)
	kfree(pages);
	return 0;
}

/* 10. (c) iov_iter_get_pages_alloc2() pages with put_page() (net/9p/trans_virtio.c). */
static void bare_iter_alloc(struct iov_iter *data, size_t count)
{
	struct page **pages;
	size_t offs;
	ssize_t n = iov_iter_get_pages_alloc2(data, &pages, count, &offs);
	int i;

	if (n <= 0)
		return;
	for (i = 0; i < DIV_ROUND_UP(n + offs, PAGE_SIZE); i++)
		put_page(pages[i]); // EXPECT (c)
	kvfree(pages);
}

/* 11. (c) vmsplice: the error path after add_to_pipe() (fs/splice.c). */
static int bare_vmsplice(struct iov_iter *from)
{
	struct page *pages[16];
	size_t start;
	ssize_t left = iov_iter_get_pages2(from, pages, ~0UL, 16, &start);
	int i = 0, n = DIV_ROUND_UP(left + start, PAGE_SIZE);

	if (left <= 0)
		return left;
	while (++i < n)
		put_page(pages[i]); // EXPECT (c)
	return 0;
}

/* 12. (c) get_dump_page() in a core dump writer (fs/coredump.c before the series). */
static int bare_dump(unsigned long addr)
{
	struct page *page = get_dump_page(addr, NULL);

	if (!page)
		return 0;
	put_page(page); // EXPECT (c)
	return 1;
}

/* 13. Correct: pages of the caller, not from GUP, under the same names. */
static void ok_own_pages(struct page **pages, struct page *page)
{
	put_page(page);
	release_pages(pages, 4);
}

/*
 * 14. Correct: the release API itself, as include/linux/mm.h defines it:
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

/* 15. Correct: memfd_pin_folios() and unpin_folios() (drivers/dma-buf/udmabuf.c). */
static long ok_memfd(struct file *memfd, struct folio **folios, unsigned int max)
{
	pgoff_t offset;
	long got = memfd_pin_folios(memfd, 0, PAGE_SIZE * max - 1, folios, max, &offset);

	if (got > 0)
		unpin_folios(folios, got);
	return got;
}

/* 16. (a) memfd_pin_folios() folios released by folio_put(). */
static long bad_memfd(struct file *memfd, struct folio **folios, unsigned int max)
{
	pgoff_t offset;
	long i, got = memfd_pin_folios(memfd, 0, PAGE_SIZE * max - 1, folios, max, &offset);

	for (i = 0; i < got; i++)
		folio_put(folios[i]); // EXPECT (a)
	return got;
}
