// SPDX-License-Identifier: GPL-2.0
/*
 * Fixtures for coccinelle/gup_release.cocci: (d) only where the data of
 * FOLL_GET pages is written, by the CPU or a device; and correct code in
 * the shapes that used to be false positives. EXPECT marks what must be
 * reported; nothing else may be. Not meant to be compiled.
 */
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/uio.h>

/* 31. (d) FOLL_GET pages written through kmap_local_page() (vmci queue pair shape). */
static int get_and_memset(unsigned long addr)
{
	struct page *pages[2];
	void *p;
	int got = get_user_pages_fast(addr, 2, FOLL_WRITE, pages);

	if (got != 2)
		return -EFAULT;
	p = kmap_local_page(pages[0]);
	memset(p, 0, PAGE_SIZE); // EXPECT (d)
	kunmap_local(p);
	put_user_pages(pages, 2);
	return 0;
}

/* 32. Correct: FOLL_GET pages only read through the mapping (tomoyo shape). */
static int get_and_read(unsigned long addr, char *buf)
{
	struct page *page;
	char *kaddr;

	if (get_user_pages_remote(current->mm, addr, 1, 0, &page, NULL) != 1)
		return -EFAULT;
	kaddr = kmap_local_page(page);
	memcpy(buf, kaddr + offset_in_page(addr), 16);
	kunmap_local(kaddr);
	put_user_page(page);
	return 0;
}

/* 33. (d) a store through page_address() (e500 MMU shared TLB shape). */
static void get_and_store(unsigned long addr, u32 val)
{
	struct page *page;
	u32 *v;

	if (get_user_pages_fast(addr, 1, FOLL_WRITE, &page) != 1)
		return;
	v = page_address(page);
	v[3] = val; // EXPECT (d)
	put_user_page(page);
}

/* 34. (d) memcpy_to_page() on a FOLL_GET page (fs/exec.c copy_string_kernel shape). */
static void get_and_copy_to_page(struct mm_struct *mm, unsigned long pos, const char *arg)
{
	struct page *page;

	if (get_user_pages_remote(mm, pos, 1, FOLL_WRITE, &page, NULL) != 1)
		return;
	memcpy_to_page(page, offset_in_page(pos), arg, 8); // EXPECT (d)
	put_user_page(page);
}

/* 35. (d) copy_from_user() into the mapping, written page then dirtied. */
static int get_and_copy_from_user(unsigned long uaddr, const void __user *src)
{
	struct page *page;
	void *va;

	if (get_user_pages_fast(uaddr, 1, FOLL_WRITE, &page) != 1)
		return -EFAULT;
	va = kmap(page);
	if (copy_from_user(va, src, 64)) // EXPECT (d)
		return -EFAULT;
	kunmap(page);
	set_page_dirty_lock(page);
	put_user_page(page);
	return 0;
}

/* 36. (d) FOLL_GET pages DMA-mapped for the device to write (bcm-vk shape). */
static int get_and_dma_from_device(struct device *dev, unsigned long addr)
{
	struct page *page;
	dma_addr_t dma;

	if (get_user_pages_fast(addr, 1, FOLL_WRITE, &page) != 1)
		return -EFAULT;
	dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE); // EXPECT (d)
	dma_unmap_page(dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
	put_user_page(page);
	return 0;
}

/* 37. Correct: FOLL_GET pages DMA-mapped only for the device to read. */
static int get_and_dma_to_device(struct device *dev, unsigned long addr)
{
	struct page *page;
	dma_addr_t dma;

	if (get_user_pages_fast(addr, 1, 0, &page) != 1)
		return -EFAULT;
	dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	dma_unmap_page(dev, dma, PAGE_SIZE, DMA_TO_DEVICE);
	put_user_page(page);
	return 0;
}

/* 38. (d) FOLL_GET pages handed to DMA through an sg_table (genwqe shape). */
static int get_to_sgtable_dma(struct device *dev, struct sg_table *sgt,
			      unsigned long addr, struct page **pages, int n)
{
	int got = get_user_pages_fast(addr, n, FOLL_WRITE, pages);

	if (got != n)
		return -EFAULT;
	if (sg_alloc_table_from_pages(sgt, pages, n, 0, n * PAGE_SIZE, GFP_KERNEL))
		return -ENOMEM;
	return dma_map_sgtable(dev, sgt, DMA_BIDIRECTIONAL, 0); // EXPECT (d)
}

/* 39. Correct: pinned pages written by DMA. */
static int ok_pin_dma(struct device *dev, unsigned long addr)
{
	struct page *page;
	dma_addr_t dma;

	if (pin_user_pages_fast(addr, 1, FOLL_WRITE, &page) != 1)
		return -EFAULT;
	dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	unpin_user_pages_dirty_lock(&page, 1, true);
	return 0;
}

/*
 * 40. Correct: one flag picks pin or get, and the same flag picks the
 * release (mm/memory.c __access_remote_vm() after the series).
 */
static int ok_flag_picks(struct mm_struct *mm, unsigned long addr, void *buf, int write)
{
	struct page *page;
	void *maddr;

	if (write)
		page = pin_user_page_vma_remote(mm, addr, FOLL_WRITE, NULL);
	else
		page = get_user_page_vma_remote(mm, addr, 0, NULL);
	if (IS_ERR(page))
		return PTR_ERR(page);
	maddr = kmap_local_page(page);
	if (write) {
		memcpy(maddr, buf, 8);
		kunmap_local(maddr);
		unpin_user_pages_dirty_lock(&page, 1, true);
	} else {
		memcpy(buf, maddr, 8);
		kunmap_local(maddr);
		put_user_page(page);
	}
	return 0;
}

/* 41. Correct: the flag kept in a struct and tested in the release helper. */
struct umem {
	struct page **pages;
	int n;
	bool is_pinned;
};

static int umem_get(struct umem *u, unsigned long addr)
{
	if (u->is_pinned)
		u->n = pin_user_pages_fast(addr, u->n, FOLL_WRITE, u->pages);
	else
		u->n = get_user_pages_fast(addr, u->n, FOLL_WRITE, u->pages);
	return u->n;
}

static void umem_put(struct umem *u)
{
	if (u->is_pinned)
		unpin_user_pages(u->pages, u->n);
	else
		put_user_pages(u->pages, u->n);
}

/* 42. Correct: a switch on the command picks both (mm/gup_test.c shape). */
static void put_back(unsigned int cmd, struct page **pages, int n)
{
	switch (cmd) {
	case 1:
		put_user_pages(pages, n);
		break;
	case 2:
		unpin_user_pages(pages, n);
		break;
	}
}

static void gup_cmd(unsigned int cmd, unsigned long addr, struct page **pages)
{
	int n = 0;

	switch (cmd) {
	case 1:
		n = get_user_pages_fast(addr, 4, 0, pages);
		break;
	case 2:
		n = pin_user_pages_fast(addr, 4, 0, pages);
		break;
	}
	put_back(cmd, pages, n);
}

/* 43. Correct: the variable held a pinned page, then a page of its own. */
static void ok_reassigned(unsigned long addr)
{
	struct page *page;

	if (pin_user_pages_fast(addr, 1, 0, &page) != 1)
		return;
	unpin_user_page(page);
	page = alloc_page(GFP_KERNEL);
	if (page)
		put_page(page);
}

/* 44. Correct: iov_iter_get_pages2() on a kernel (bvec) iterator is not GUP. */
static void ok_kernel_iter(struct bio_vec *bv, int n, size_t len)
{
	struct iov_iter iter;
	struct page *pages[4];
	size_t off;

	iov_iter_bvec(&iter, ITER_SOURCE, bv, n, len);
	if (iov_iter_get_pages2(&iter, pages, len, 4, &off) > 0)
		put_page(pages[0]);
}

/*
 * 45. Correct: a container that also holds pages of its own: the pages
 * released there are the driver's, the GUP ones go back in their function
 * (net/core/skmsg.c shape).
 */
struct msgbuf {
	struct scatterlist sg[8];
	struct page *frag;
};

static int msg_zerocopy(struct msgbuf *m, struct iov_iter *from)
{
	struct page *pages[8];
	size_t off;
	ssize_t got = iov_iter_get_pages2(from, pages, PAGE_SIZE, 1, &off);

	if (got <= 0)
		return -EFAULT;
	sg_set_page(&m->sg[0], pages[0], got, off);
	put_user_page(pages[0]);
	return 0;
}

static void msg_alloc(struct msgbuf *m)
{
	sg_set_page(&m->sg[1], m->frag, PAGE_SIZE, 0);
}

static void msg_free(struct msgbuf *m, int i)
{
	put_page(sg_page(&m->sg[i]));
}

/*
 * 46. Correct: the put after the folio left the page table drops the
 * mapping's reference, not the GUP one (kernel/events/uprobes.c shape).
 */
static void ok_unmap_put(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	struct page *page;
	struct folio *folio;

	if (get_user_pages_remote(vma->vm_mm, addr, 1, FOLL_FORCE, &page, NULL) != 1)
		return;
	folio = page_folio(page);
	folio_remove_rmap_pte(folio, page, vma);
	folio_put(folio);
	put_user_page(page);
}

/* 47. Correct: the dirty bit copied from a cleared PTE is no data write (mm/rmap.c). */
static void ok_pte_dirty(struct mm_struct *mm, unsigned long addr, pte_t pte)
{
	struct page *page = get_user_page_vma_remote(mm, addr, FOLL_WRITE, NULL);
	struct folio *folio;

	if (IS_ERR(page))
		return;
	folio = page_folio(page);
	if (pte_dirty(pte))
		folio_mark_dirty(folio);
	put_user_page(page);
}

/* 48. (d) dirtied FOLL_GET pages: a device wrote them behind the kernel's back. */
static void get_dirty_put(unsigned long addr, struct page **pages, int n)
{
	int i, got = get_user_pages_fast(addr, n, FOLL_WRITE, pages);

	for (i = 0; i < got; i++) {
		set_page_dirty_lock(pages[i]); // EXPECT (d)
		put_user_page(pages[i]);
	}
}

/* 49. Correct: a read-only sg DMA mapping of FOLL_GET pages. */
static int get_sg_to_device(struct device *dev, struct scatterlist *sg, unsigned long addr)
{
	struct page *page;

	if (get_user_pages_fast(addr, 1, 0, &page) != 1)
		return -EFAULT;
	sg_set_page(sg, page, PAGE_SIZE, 0);
	return dma_map_sg(dev, sg, 1, DMA_TO_DEVICE);
}

/* 50. Correct: a conditional expression picks pin or get, an if the release. */
static void ok_ternary_picks(unsigned long addr, struct page **pages, int n, bool pin)
{
	int got = pin ? pin_user_pages_fast(addr, n, 0, pages) :
			get_user_pages_fast(addr, n, 0, pages);

	if (got <= 0)
		return;
	if (pin)
		unpin_user_pages(pages, got);
	else
		put_user_pages(pages, got);
}
