// SPDX-License-Identifier: GPL-2.0-only
///
/// Move get_user_pages*() (FOLL_GET) call sites whose pages are written
/// by the CPU or by DMA to pin_user_pages*() (FOLL_PIN), and release them
/// with unpin_user_page*() instead of put_page()/release_pages().
///
/// The acquire and every release of its pages change together, so the
/// tree stays correct after each generated patch. Releases are found
///  - after the acquire in the same function;
///  - through a struct field the page array is stored in, anywhere in
///    the file (X->f = pages; ... put_page(Y->f[i]));
///  - in the callers of a function that returns the pinned page;
///  - in a helper the page array is passed to (put_page(param[i]));
///  - in the function named with -D release=NAME, for a release that has
///    no data flow from the acquire Coccinelle can follow (a page found
///    again from a kernel address, or released in another file).
///
/// With -D longterm the pins get FOLL_LONGTERM: for pages that stay in
/// use after the system call returns (Case 2 and 5 of
/// Documentation/core-api/pin_user_pages.rst). get_user_pages_unlocked()
/// callers that pass an explicit FOLL_GET lose it; FOLL_PIN forbids it.
///
/// Run it only on the call sites coccinelle/call-sites.md classifies as
/// "pin" (without -D longterm) or "pin+LONGTERM" (with it).
///
// Confidence: High
// Copyright: (C) 2026 GUP Origin Series
// Options: --no-includes --include-headers --allow-inconsistent-paths

virtual longterm

@acquire depends on !longterm@
expression E1, E2, E3, E4, E5, P;
@@
(
- get_user_pages(E1, E2, E3, P)
+ pin_user_pages(E1, E2, E3, P)
|
- get_user_pages_fast(E1, E2, E3, P)
+ pin_user_pages_fast(E1, E2, E3, P)
|
- get_user_pages_remote(E1, E2, E3, E4, P, E5)
+ pin_user_pages_remote(E1, E2, E3, E4, P, E5)
)

@acquire_longterm depends on longterm@
expression E1, E2, E3, E4, E5, P, A, B;
@@
(
- get_user_pages_fast(E1, E2, A == B, P)
+ pin_user_pages_fast(E1, E2, (A == B ? FOLL_WRITE : 0) | FOLL_LONGTERM, P)
|
- get_user_pages(E1, E2, E3, P)
+ pin_user_pages(E1, E2, E3 | FOLL_LONGTERM, P)
|
- get_user_pages_fast(E1, E2, E3, P)
+ pin_user_pages_fast(E1, E2, E3 | FOLL_LONGTERM, P)
|
- get_user_pages_remote(E1, E2, E3, E4, P, E5)
+ pin_user_pages_remote(E1, E2, E3 | FOLL_LONGTERM, E4, P, E5)
|
- get_user_pages_unlocked(E1, E2, P, FOLL_GET)
+ pin_user_pages_unlocked(E1, E2, P, FOLL_LONGTERM)
|
- get_user_pages_unlocked(E1, E2, P, E3)
+ pin_user_pages_unlocked(E1, E2, P, E3 | FOLL_LONGTERM)
)

// Releases after the acquire, in the same function.
@array exists@
expression E1, E2, E3, E4, E5, P, E, N;
@@
(
pin_user_pages(E1, E2, E3, P)
|
pin_user_pages_fast(E1, E2, E3, P)
|
pin_user_pages_remote(E1, E2, E3, E4, P, E5)
|
pin_user_pages_unlocked(E1, E2, P, E3)
)
... when any
(
- put_page(P[E])
+ unpin_user_page(P[E])
|
- release_pages(P, N)
+ unpin_user_pages(P, N)
)

@single exists@
expression E1, E2, E3, E4, E5, Q;
@@
(
pin_user_pages(E1, E2, E3, &Q)
|
pin_user_pages_fast(E1, E2, E3, &Q)
|
pin_user_pages_remote(E1, E2, E3, E4, &Q, E5)
|
pin_user_pages_unlocked(E1, E2, &Q, E3)
)
... when any
- put_page(Q)
+ unpin_user_page(Q)

// The page array, pinned in place or pinned and then stored, lives in a
// struct field: every put_page() of an entry of that field is a release.
@stored@
expression E1, E2, E3, E4, E5, E6, S;
identifier fld;
@@
(
pin_user_pages(E1, E2, E3, S->fld + E6)
|
pin_user_pages_fast(E1, E2, E3, S->fld + E6)
|
pin_user_pages_remote(E1, E2, E3, E4, S->fld + E6, E5)
|
pin_user_pages_unlocked(E1, E2, S->fld + E6, E3)
|
pin_user_pages(E1, E2, E3, S->fld)
|
pin_user_pages_fast(E1, E2, E3, S->fld)
|
pin_user_pages_remote(E1, E2, E3, E4, S->fld, E5)
|
pin_user_pages_unlocked(E1, E2, S->fld, E3)
)

@stored_later exists@
expression E1, E2, E3, E4, E5, P, S;
identifier fld;
@@
(
pin_user_pages(E1, E2, E3, P)
|
pin_user_pages_fast(E1, E2, E3, P)
|
pin_user_pages_remote(E1, E2, E3, E4, P, E5)
|
pin_user_pages_unlocked(E1, E2, P, E3)
)
... when any
S->fld = P

@stored_before exists@
expression E1, E2, E3, E4, E5, E6, S;
identifier P, fld;
type T;
@@
T **P = S->fld + E6;
...
(
pin_user_pages(E1, E2, E3, P)
|
pin_user_pages_fast(E1, E2, E3, P)
|
pin_user_pages_remote(E1, E2, E3, E4, P, E5)
|
pin_user_pages_unlocked(E1, E2, P, E3)
)

@depends on stored@
identifier stored.fld;
expression S, E, N;
@@
(
- put_page(S->fld[E])
+ unpin_user_page(S->fld[E])
|
- release_pages(S->fld, N)
+ unpin_user_pages(S->fld, N)
)

@depends on stored_later@
identifier stored_later.fld;
expression S, E, N;
@@
(
- put_page(S->fld[E])
+ unpin_user_page(S->fld[E])
|
- release_pages(S->fld, N)
+ unpin_user_pages(S->fld, N)
)

@depends on stored_before@
identifier stored_before.fld;
expression S, E, N;
@@
(
- put_page(S->fld[E])
+ unpin_user_page(S->fld[E])
|
- release_pages(S->fld, N)
+ unpin_user_pages(S->fld, N)
)

// A function that returns the page it pinned: its callers release it.
@returned exists@
identifier f;
expression E1, E2, E3, E4, E5;
local idexpression struct page *Q;
@@
f(...)
{
...
(
pin_user_pages(E1, E2, E3, &Q)
|
pin_user_pages_fast(E1, E2, E3, &Q)
|
pin_user_pages_remote(E1, E2, E3, E4, &Q, E5)
|
pin_user_pages_unlocked(E1, E2, &Q, E3)
)
...
return Q;
}

@depends on returned exists@
identifier returned.f;
expression X;
@@
X = f(...)
... when any
- put_page(X)
+ unpin_user_page(X)

// A helper the pinned array, kept in a struct field, is passed to.
@passed exists@
expression E1, E2, E3, E4, E5, S;
identifier fld, helper;
@@
(
pin_user_pages(E1, E2, E3, S.fld)
|
pin_user_pages_fast(E1, E2, E3, S.fld)
|
pin_user_pages_remote(E1, E2, E3, E4, S.fld, E5)
|
pin_user_pages_unlocked(E1, E2, S.fld, E3)
)
... when any
helper(..., S.fld, ...)

@depends on passed@
identifier passed.helper;
identifier pages;
type T;
expression E;
@@
helper(..., T **pages, ...)
{
<...
- put_page(pages[E])
+ unpin_user_page(pages[E])
...>
}

// A release Coccinelle cannot connect to its acquire: -D release=NAME.
@@
identifier virtual.release;
expression X;
@@
release(...)
{
<...
- put_page(X)
+ unpin_user_page(X)
...>
}
