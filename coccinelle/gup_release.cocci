// SPDX-License-Identifier: GPL-2.0-only
///
/// Check that pages from the get_user_pages() family are released by the
/// function that matches how they were obtained:
///  (a) pin_user_pages*() and iov_iter_extract_pages() pages (FOLL_PIN) by
///      unpin_user_page*(), not by put_page(), folio_put(), release_pages()
///      or put_user_page*();
///  (b) get_user_pages*() pages (FOLL_GET) not by unpin_user_page*();
///  (c) get_user_pages*() pages by put_user_page*() rather than a bare
///      put_page(), folio_put() or release_pages();
///  (d) get_user_pages*() pages that are mapped for the CPU (kmap*(),
///      page_address()) or for DMA (dma_map_page(), sg_set_page()): if the
///      data is written, the pages must be pinned (FOLL_PIN) instead, see
///      Documentation/core-api/pin_user_pages.rst.
/// Pages are followed through loops, error paths, struct fields (by field
/// name, within the file) and release helpers defined in the same file.
/// The patch mode only does the safe fix of (c): put_page() to
/// put_user_page() for pages that came from get_user_pages*() in the same
/// function.
///
// Confidence: Moderate
// Copyright: (C) 2026 GUP Origin Series
// Comments: pairing is by the name of the page array, variable or field;
//   a release through a differently named alias is not seen. Every rule
//   that matches a release or a mapping depends on an acquire rule having
//   matched in the same file, so spatch's token prefilter (--use-gitgrep in
//   the kernel's .cocciconfig, or --use-idutils) only parses the files that
//   name an acquire: findings pair within a file, so no other file can have
//   one.
// Options: --no-includes --include-headers

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
# (file, key) -> list of (kind, position, function, text)
acquired = {}
released = {}
accessed = {}
# (file, function) -> {param index: release kind}
helpers = {}

def gup_key(pos, expr):
    """Key the pages by the name the code uses for them: a field name is
    followed through the whole file, a variable within its function."""
    e = expr.replace(" ", "")
    if e.startswith("&"):
        e = e[1:]
    if "[" in e:
        e = e[:e.index("[")]
    for sep in ("->", "."):
        if sep in e:
            return (pos.file, "field", e.rsplit(sep, 1)[1])
    return (pos.file, "var:" + pos.current_element, e)

def gup_note(table, kind, pos, expr):
    key = gup_key(pos, expr)
    table.setdefault(key, []).append((kind, pos, pos.current_element, expr))
    if table is not acquired:
        gup_pair(key, kind, pos)

def gup_note_helper(pos, n, kind):
    helpers.setdefault((pos.file, pos.current_element), {})[int(n)] = kind

VERDICT = {
    ("pin", "bare"): "(a) FOLL_PIN pages (acquired at line %s) released by a FOLL_GET release: use unpin_user_page*()",
    ("pin", "put_user"): "(a) FOLL_PIN pages (acquired at line %s) released by put_user_page*(): use unpin_user_page*()",
    ("get", "unpin"): "(b) FOLL_GET pages (acquired at line %s) released by unpin_user_page*(): use put_user_page*()",
    ("get", "bare"): "(c) FOLL_GET pages (acquired at line %s) released by a bare put_page()/folio_put()/release_pages(): use put_user_page*()",
    ("get", "access"): "(d) FOLL_GET pages (acquired at line %s) mapped for CPU or DMA access: if the data is written, pin them (FOLL_PIN)",
}

# Report or org, set by the first rule.
MODE = ["report"]
seen = set()

def gup_pair(key, ukind, upos):
    """Pair a release or access with the acquires of the same key, as soon
    as it is found. Coccinelle runs every rule on one file before the
    next file, and the acquire rules come first, so all acquires of the
    file are known by then; nothing waits for a finalize rule, which
    would not see the results of parallel workers (make coccicheck J>1)."""
    for (akind, apos, afn, atext) in acquired.get(key, []):
        verdict = VERDICT.get((akind, ukind))
        ident = (upos.file, upos.line, upos.column, verdict)
        if verdict and ident not in seen:
            seen.add(ident)
            if MODE[0] == "org":
                coccilib.org.print_todo(upos, verdict % apos.line)
            else:
                coccilib.report.print_report(upos, verdict % apos.line)

@script:python depends on org@
@@
MODE[0] = "org"

// ---------------------------------------------------------------- acquire

@acq_pin depends on report || org@
expression E1, E2, E3, E4, E5, P;
position p;
@@
(
pin_user_pages(E1, E2, E3, P)@p
|
pin_user_pages_fast(E1, E2, E3, P)@p
|
pin_user_pages_remote(E1, E2, E3, E4, P, E5)@p
|
pin_user_pages_unlocked(E1, E2, P, E3)@p
|
iov_iter_extract_pages(E1, &P, ...)@p
)

@script:python depends on report || org@
p << acq_pin.p;
P << acq_pin.P;
@@
gup_note(acquired, "pin", p[0], P)

@acq_get depends on report || org@
expression E1, E2, E3, E4, E5, P;
position p;
@@
(
get_user_pages(E1, E2, E3, P)@p
|
get_user_pages_fast(E1, E2, E3, P)@p
|
get_user_pages_fast_only(E1, E2, E3, P)@p
|
get_user_pages_remote(E1, E2, E3, E4, P, E5)@p
|
get_user_pages_unlocked(E1, E2, P, E3)@p
|
get_user_page_fast_only(E1, E2, P)@p
|
P = get_user_page_vma_remote(...)@p
|
P = get_dump_page(...)@p
|
iov_iter_get_pages2(E1, P, ...)@p
|
iov_iter_get_pages_alloc2(E1, &P, ...)@p
)

@script:python depends on report || org@
p << acq_get.p;
P << acq_get.P;
@@
if P.replace(" ", "") != "NULL":
    gup_note(acquired, "get", p[0], P)

// ---------------------------------------------------------------- release

@rel_bare depends on (report || org) && (acq_pin || acq_get)@
expression X, E, N;
position p;
@@
(
put_page(X[E])@p
|
put_page(X)@p
|
folio_put(page_folio(X[E]))@p
|
folio_put(page_folio(X))@p
|
release_pages(X, N)@p
)

@script:python depends on report || org@
p << rel_bare.p;
X << rel_bare.X;
@@
gup_note(released, "bare", p[0], X)

@rel_folio depends on (report || org) && (acq_pin || acq_get) exists@
expression X;
idexpression struct folio *F;
position p;
@@
F = page_folio(X)
... when any
folio_put(F)@p

@script:python depends on report || org@
p << rel_folio.p;
X << rel_folio.X;
@@
gup_note(released, "bare", p[0], X)

@rel_unpin depends on (report || org) && (acq_pin || acq_get)@
expression X, E, N, D;
position p;
@@
(
unpin_user_page(X[E])@p
|
unpin_user_page(X)@p
|
unpin_user_pages(X, N)@p
|
unpin_user_pages_dirty_lock(X, N, D)@p
|
unpin_user_page_range_dirty_lock(X, N, D)@p
)

@script:python depends on report || org@
p << rel_unpin.p;
X << rel_unpin.X;
@@
gup_note(released, "unpin", p[0], X)

@rel_put_user depends on (report || org) && (acq_pin || acq_get)@
expression X, E, N, D;
position p;
@@
(
put_user_page(X[E])@p
|
put_user_page(X)@p
|
put_user_pages(X, N)@p
|
put_user_pages_dirty_lock(X, N, D)@p
)

@script:python depends on report || org@
p << rel_put_user.p;
X << rel_put_user.X;
@@
gup_note(released, "put_user", p[0], X)

// ------------------------------------------- release helpers and their calls

@helper_bare depends on (report || org) && (acq_pin || acq_get)@
identifier F != {put_user_page, put_user_pages, put_user_pages_dirty_lock};
identifier X;
parameter list[n] ps;
type T;
expression E, N;
position p;
@@
F(ps, T X, ...)@p {
<+...
(
put_page(X[E])
|
put_page(X)
|
release_pages(X, N)
)
...+>
}

@script:python depends on report || org@
p << helper_bare.p;
n << helper_bare.n;
@@
gup_note_helper(p[0], n, "bare")

@helper_unpin depends on (report || org) && (acq_pin || acq_get)@
identifier F, X;
parameter list[n] ps;
type T;
expression E, N, D;
position p;
@@
F(ps, T X, ...)@p {
<+...
(
unpin_user_page(X[E])
|
unpin_user_page(X)
|
unpin_user_pages(X, N)
|
unpin_user_pages_dirty_lock(X, N, D)
)
...+>
}

@script:python depends on report || org@
p << helper_unpin.p;
n << helper_unpin.n;
@@
gup_note_helper(p[0], n, "unpin")

@helper_put_user depends on (report || org) && (acq_pin || acq_get)@
identifier F, X;
parameter list[n] ps;
type T;
expression E, N, D;
position p;
@@
F(ps, T X, ...)@p {
<+...
(
put_user_page(X[E])
|
put_user_page(X)
|
put_user_pages(X, N)
|
put_user_pages_dirty_lock(X, N, D)
)
...+>
}

@script:python depends on report || org@
p << helper_put_user.p;
n << helper_put_user.n;
@@
gup_note_helper(p[0], n, "put_user")

@helper_call depends on (report || org) && (acq_pin || acq_get)@
identifier F : script:python () { any(k[1] == F for k in helpers) };
expression list[n] es;
expression A;
position p;
@@
F(es, A, ...)@p

@script:python depends on report || org@
p << helper_call.p;
F << helper_call.F;
n << helper_call.n;
A << helper_call.A;
@@
kind = helpers.get((p[0].file, F), {}).get(int(n))
if kind:
    gup_note(released, kind, p[0], A)

// ------------------------------------------------- CPU and DMA access (d)

@access depends on (report || org) && (acq_pin || acq_get)@
expression X, E, E1, E2, E3, E4;
position p;
@@
(
kmap(X[E])@p
|
kmap(X)@p
|
kmap_local_page(X[E])@p
|
kmap_local_page(X)@p
|
kmap_atomic(X[E])@p
|
kmap_atomic(X)@p
|
page_address(X[E])@p
|
page_address(X)@p
|
dma_map_page(E1, X[E], E2, E3, E4)@p
|
dma_map_page(E1, X, E2, E3, E4)@p
|
sg_set_page(E1, X[E], E2, E3)@p
|
sg_set_page(E1, X, E2, E3)@p
)

@script:python depends on report || org@
p << access.p;
X << access.X;
@@
gup_note(accessed, "access", p[0], X)

// ---------------------------------------------------------------- context

@ctx_pin depends on context@
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
* put_page(P[E])
|
* release_pages(P, N)
|
* put_user_pages(P, N)
)

@ctx_get depends on context@
expression E1, E2, E3, E4, E5, P, E, N, D;
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
* unpin_user_page(P[E])
|
* unpin_user_pages(P, N)
|
* unpin_user_pages_dirty_lock(P, N, D)
|
* put_page(P[E])
|
* release_pages(P, N)
)

// ------------------------------------------------------------------ patch

@fix_get depends on patch && !context && !org && !report@
expression E1, E2, E3, E4, E5, P, E;
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
<...
- put_page(P[E])
+ put_user_page(P[E])
...>
