// SPDX-License-Identifier: GPL-2.0-only
///
/// Release pages obtained with get_user_pages*() (FOLL_GET) with
/// put_user_page()/put_user_pages() instead of put_page()/release_pages().
/// Both drop the same references: no behaviour change. Only releases that
/// follow the acquire in the same function are converted; run it only on
/// the call sites that coccinelle/call-sites.md classifies as
/// "put_user_page" (the others are pinned or left as they are).
/// -D skip=FN[,FN...] leaves the releases inside the functions named alone,
/// for a file whose other sites are pinned by another patch.
///
// Confidence: High
// Copyright: (C) 2026 GUP Origin Series
// Options: --no-includes --include-headers --allow-inconsistent-paths

@initialize:python@
@@
skipped = set()

def kept(p):
    return p[0].current_element not in skipped

@initialize:python@
s << virtual.skip;
@@
skipped.update(s.split(","))

@array exists@
expression E1, E2, E3, E4, E5, P, E, N;
position p : script:python() { kept(p) };
@@
(
get_user_pages(E1, E2, E3, P)
|
get_user_pages_fast(E1, E2, E3, P)
|
get_user_pages_remote(E1, E2, E3, E4, P, E5)
|
get_user_pages_unlocked(E1, E2, P, E3)
)
... when any
(
- put_page@p(P[E])
+ put_user_page(P[E])
|
- release_pages@p(P, N)
+ put_user_pages(P, N)
)

@single exists@
expression E1, E2, E3, E4, E5, Q;
position p : script:python() { kept(p) };
@@
(
get_user_pages(E1, E2, E3, &Q)
|
get_user_pages_fast(E1, E2, E3, &Q)
|
get_user_pages_remote(E1, E2, E3, E4, &Q, E5)
|
get_user_pages_unlocked(E1, E2, &Q, E3)
|
get_user_page_fast_only(E1, E2, &Q)
|
Q = get_user_page_vma_remote(...)
|
Q = get_dump_page(...)
)
... when any
- put_page@p(Q)
+ put_user_page(Q)
