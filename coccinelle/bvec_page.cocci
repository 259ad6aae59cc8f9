// SPDX-License-Identifier: GPL-2.0-only
///
/// Go through the bvec accessors instead of struct bio_vec's page member:
/// bvec_page() to read it, bvec_replace_page() to assign it (keeping the
/// length and offset). No behaviour change while both are the plain member
/// access; afterwards only include/linux/bvec.h knows how a bvec stores its
/// page. Run it on every file that names bv_page except
/// include/linux/bvec.h, which defines the accessors. Comments and the
/// layout asserts of net/core/skbuff.c are not code it can convert.
///
/// The rules disable the ptr_to_array isomorphism (E->fld matching
/// E[i].fld), which would rewrite bv[i].bv_page as bvec_page(bv).
///
// Confidence: High
// Copyright: (C) 2026 GUP Origin Series
// Options: --no-includes --include-headers

virtual patch

@write disable ptr_to_array@
expression E, X;
@@
(
- E->bv_page = X
+ bvec_replace_page(E, X)
|
- E.bv_page = X
+ bvec_replace_page(&E, X)
)

// The member's address (&bv->bv_page, say for a page-array API) has no
// accessor form: such a use is left alone for a hand-made change rather
// than rewritten into code that does not compile.
@addr disable ptr_to_array@
expression E;
position p;
@@
(
  &E@p->bv_page
|
  &E@p.bv_page
)

@read disable ptr_to_array@
expression E;
position p != addr.p;
@@
(
- E@p->bv_page
+ bvec_page(E)
|
- E@p.bv_page
+ bvec_page(&E)
)
