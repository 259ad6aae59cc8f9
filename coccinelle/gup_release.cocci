// SPDX-License-Identifier: GPL-2.0-only
///
/// Check that pages from the get_user_pages() family are released by the
/// function that matches how they were obtained:
///  (a) pin_user_pages*(), memfd_pin_folios() and iov_iter_extract_pages()
///      pages (FOLL_PIN) by unpin_user_page*() or unpin_folio*(), not by
///      put_page(), folio_put(), release_pages() or put_user_page*();
///  (b) get_user_pages*() and iov_iter_get_pages*() pages (FOLL_GET) not
///      by unpin_user_page*();
///  (c) FOLL_GET pages by put_user_page*() rather than a bare put_page(),
///      folio_put() or release_pages();
///  (d) FOLL_GET pages whose data is written, by the CPU (stores and
///      copies through kmap*(), page_address() or vmap(), memcpy_to_page(),
///      set_page_dirty*()) or by a device (dma_map_page(), dma_map_sg*()
///      or dma_map_sgtable() with a direction other than DMA_TO_DEVICE):
///      such pages must be pinned (FOLL_PIN), see
///      Documentation/core-api/pin_user_pages.rst. Reading is not a
///      finding.
/// Pages are followed by data flow within a file: through assignments and
/// folio conversions (page_folio(), folio_page()), struct fields (by
/// field name), scatterlists and sg_tables (sg_set_page(),
/// sg_alloc_table_from_pages*(), sg_page()), bio_vecs and bios
/// (bvec_set_page(), bio_add_page(), ->bv_page, bvec_page()), function
/// arguments, return values and macros that wrap a release. A variable's
/// tracking ends where it is assigned other pages. An acquire and a
/// release under opposite branches of the same condition (a flag that
/// picks pin or get, and the same flag picking the release) do not pair.
/// iov_iter_get_pages*() on an iterator the file sets up over kernel
/// memory (iov_iter_kvec(), _bvec(), _xarray(), _folio_queue()) is not GUP.
/// The patch mode does the safe fix of (c): put_page() and release_pages()
/// of pages that, in that function, only ever come from a FOLL_GET
/// acquire become put_user_page() and put_user_pages().
///
/// Correct code that the rules cannot prove correct, and is not reported:
///  - virt/kvm/kvm_main.c hva_to_pfn_slow() (a): the put_page() of the
///    writable upgrade is never reached after pin_user_pages_unlocked(),
///    because map_writable and pin exclude each other (the WARN_ON_ONCE()
///    jumps past it).
///  - fs/exec.c get_arg_page() (d): the CPU copies the arguments into the
///    stack of the new program with a FOLL_GET reference. Reclaim cannot
///    clean or write back a page while that reference is held (pageout()
///    skips folios with extra references), and a pin would mark every mm
///    that execve() creates as having pinned pages.
///
// Confidence: Moderate
// Copyright: (C) 2026 GUP Origin Series
// Comments: every rule depends on an acquire having matched in the file,
//   so spatch's token prefilter (--use-gitgrep in the kernel's
//   .cocciconfig, or --use-idutils) only parses files that name an
//   acquire; findings pair within a file. The pairing runs once per file,
//   in the last rule, after every rule has seen the file.
// Options: --no-includes --include-headers

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

# Not reported: (file suffix, function of the acquire, finding), see the
# header.
PROVEN_ELSEWHERE = {
    ("virt/kvm/kvm_main.c", "hva_to_pfn_slow", "(a)"),
    ("fs/exec.c", "get_arg_page", "(d)"),
}

VERDICT = {
    ("pin", "bare"): "(a) FOLL_PIN pages (acquired at line %s) released by a FOLL_GET release: use unpin_user_page*()",
    ("pin", "put_user"): "(a) FOLL_PIN pages (acquired at line %s) released by put_user_page*(): use unpin_user_page*()",
    ("get", "unpin"): "(b) FOLL_GET pages (acquired at line %s) released by unpin_user_page*(): use put_user_page*()",
    ("get", "bare"): "(c) FOLL_GET pages (acquired at line %s) released by a bare put_page()/folio_put()/release_pages(): use put_user_page*()",
    ("get", "cpu_write"): "(d) FOLL_GET pages (acquired at line %s) written by the CPU through a kernel mapping: pin them (FOLL_PIN)",
    ("get", "dma_write"): "(d) FOLL_GET pages (acquired at line %s) mapped for DMA that the device may write: pin them (FOLL_PIN)",
    ("get", "dirty_write"): "(d) FOLL_GET pages (acquired at line %s) dirtied, so written by the CPU or a device: pin them (FOLL_PIN)",
}

# Calls that map the data of pages and return its address.
MAPS = ("kmap", "kmap_local_page", "kmap_atomic", "page_address",
        "kmap_local_folio", "folio_address", "vmap", "vm_map_ram",
        "kmap_local_page_try_from_panic")
# Where pages are stored and read back: a synthetic key per container kind.
CONTAINER_OF = {"sg_page": "<sg>", "sg_page_iter_page": "<sg>",
                "bvec_page": "bv_page", "skb_frag_page": "<frag>"}
DMA_READ_ONLY = ("DMA_TO_DEVICE", "PCI_DMA_TODEVICE", "DMA_NONE")

MODE = ["report"]
# The state of each file, and the one of the file being matched. A list
# of files on the spatch command line is one group, whose files each rule
# sees in turn, so the state is kept per file, not per run.
FILES = {}
S = {}
FILE = [None]

def reset(f):
    global S
    S = FILES[f] = {}
    FILE[0] = f
    for k in ("acq", "rel", "asg", "store", "guards", "params", "calls",
              "rets", "kiter", "writes", "dests", "unmap"):
        S[k] = []
    S["funcs"] = set()
    S["macros"] = {}
    S["macro_rel"] = {}
    S["macro_acq"] = {}
    S["done"] = False
    S["flag_rel"] = set()
    S["flag_acq"] = set()
    S["fix"] = {}
    read_macros(f)

def ensure(pos, acquire=False):
    """Make the state of the file of pos current. The acquire rules,
    which run first, start it. Matches that Coccinelle places in its own
    macro file are not part of any file."""
    global S
    f = pos.file
    if f.endswith("/standard.h"):
        return False
    if f not in FILES:
        if not acquire:
            return False
        reset(f)
    S = FILES[f]
    FILE[0] = f
    return True

# Where each acquire takes its pages array, and what it takes.
ACQUIRE_PAGES_ARG = {
    "pin_user_pages": (3, "pin"), "pin_user_pages_fast": (3, "pin"),
    "pin_user_pages_remote": (4, "pin"), "pin_user_pages_unlocked": (2, "pin"),
    "memfd_pin_folios": (3, "pin"), "iov_iter_extract_pages": (1, "pin"),
    "get_user_pages": (3, "get"), "get_user_pages_fast": (3, "get"),
    "get_user_pages_fast_only": (3, "get"), "get_user_pages_remote": (4, "get"),
    "get_user_pages_unlocked": (2, "get"), "get_user_page_fast_only": (2, "get"),
    "iov_iter_get_pages2": (1, "get"), "iov_iter_get_pages_alloc2": (1, "get"),
}

RELEASE_NAMES = {
    "put_page": "bare", "folio_put": "bare", "folio_put_refs": "bare",
    "release_pages": "bare", "folios_put": "bare",
    "unpin_user_page": "unpin", "unpin_user_pages": "unpin",
    "unpin_user_pages_dirty_lock": "unpin", "unpin_folio": "unpin",
    "unpin_folios": "unpin", "unpin_user_page_range_dirty_lock": "unpin",
    "unpin_user_folio": "unpin",
    "put_user_page": "put_user", "put_user_pages": "put_user",
    "put_user_pages_dirty_lock": "put_user",
}

def read_macros(f):
    """Function-like macros of the file: their parameters, and the
    releases their bodies apply to a parameter."""
    try:
        text = open(f, errors="replace").read()
    except OSError:
        return
    text = text.replace("\\\n", " ")
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)\(([^)]*)\)(.*)$", text, re.M):
        name, params, body = m.group(1), m.group(2), m.group(3)
        ps = [p.strip() for p in params.split(",")]
        S["macros"][name] = ps
        for c in re.finditer(r"\b(\w+)\s*\(\s*\(?\s*(\w+)", body):
            kind = RELEASE_NAMES.get(c.group(1))
            if kind and c.group(2) in ps:
                S["macro_rel"].setdefault(name, {})[ps.index(c.group(2))] = kind
        for c in re.finditer(r"\b(\w+)\s*\(", body):
            where_pages = ACQUIRE_PAGES_ARG.get(c.group(1))
            if where_pages is None:
                continue
            depth, i, args, cur = 1, c.end(), [], ""
            while i < len(body) and depth:
                ch = body[i]
                depth += ch == "("
                depth -= ch == ")"
                if depth == 1 and ch == ",":
                    args.append(cur)
                    cur = ""
                elif depth:
                    cur += ch
                i += 1
            args.append(cur)
            if len(args) > where_pages[0]:
                arg = re.sub(r"[\s()&]", "", args[where_pages[0]])
                if arg in ps:
                    S["macro_acq"][name] = (ps.index(arg), where_pages[1])

def squash(e):
    return re.sub(r"\s+", "", e)

CAST = re.compile(r"^\((?:const|volatile|struct|union|unsigned|signed|\w)+\**\)(?=[\w(&*])")

def peel(e):
    """The pages an expression names, as a key-able lvalue text and a
    container kind, or None if it is not a plain reference to pages."""
    e = squash(e)
    for _ in range(8):
        while e.startswith("(") and e.endswith(")") and balanced(e[1:-1]):
            e = e[1:-1]
        m = CAST.match(e)
        if m:
            e = e[m.end():]
            continue
        if e.startswith("&") or e.startswith("*"):
            e = e[1:]
            continue
        m = re.match(r"^(\w+)\((.*)\)$", e)
        if m and balanced(m.group(2)):
            fn, args = m.group(1), split_args(m.group(2))
            if fn in CONTAINER_OF:
                return ("container", CONTAINER_OF[fn])
            if fn in ("page_folio", "compound_head", "folio_page", "nth_page",
                      "folio_file_page") and args:
                e = args[0]
                continue
            return None
        m = re.match(r"^(.*[\w\]\)])\+[\w\[\]>.-]+$", e)
        if m and "(" not in e:
            e = m.group(1)
            continue
        break
    if not re.match(r"^[A-Za-z_][\w\[\]>.\-]*$", e) or "(" in e:
        return None
    return ("lvalue", e)

def balanced(s):
    d = 0
    for ch in s:
        d += ch == "("
        d -= ch == ")"
        if d < 0:
            return False
    return d == 0

def split_args(s):
    out, d, cur = [], 0, ""
    for ch in s:
        if ch == "," and d == 0:
            out.append(cur)
            cur = ""
            continue
        d += ch in "(["
        d -= ch in ")]"
        cur += ch
    out.append(cur)
    return out

def key_of(fn, e):
    """Key pages by the name the code uses for them: a field name through
    the whole file, a variable within its function, a container kind
    through the whole file."""
    p = peel(e)
    if p is None:
        return None
    if p[0] == "container":
        return ("field", p[1])
    e = p[1]
    while re.search(r"\[[^\[\]]*\]", e):
        e = re.sub(r"\[[^\[\]]*\]", "", e)
    if "->" in e or "." in e:
        return ("field", re.split(r"->|\.", e)[-1])
    return ("var", fn, e)

def strip_c(text):
    """The file with comments and literals blanked, lengths kept."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    q, a = chr(34), chr(39)
    lit = q + r"(?:\\.|[^" + q + r"\\\n])*" + q + "|" + a + r"(?:\\.|[^" + a + r"\\\n])*" + a
    return re.sub(r"//[^\n]*|/\*.*?\*/|" + lit, blank, text, flags=re.S)

def switches():
    """(cond, [(offset, labels)], block start, block end) per switch."""
    if "switches" in S:
        return S["switches"]
    S["switches"] = out = []
    try:
        text = strip_c(open(FILE[0], errors="replace").read())
    except OSError:
        return out
    S["line_off"] = offs = [0]
    for ln in text.split("\n"):
        offs.append(offs[-1] + len(ln) + 1)
    for m in re.finditer(r"\bswitch\s*\(", text):
        i, d = m.end(), 1
        while i < len(text) and d:
            d += text[i] == "("
            d -= text[i] == ")"
            i += 1
        cond = squash(text[m.end():i - 1])
        j = text.find("{", i)
        if j < 0:
            continue
        k, d, groups, last = j + 1, 1, [], -2
        while k < len(text) and d:
            ch = text[k]
            if ch in "{(":
                d += 1
            elif ch in "})":
                d -= 1
            elif d == 1 and re.match(r"(case\b[^:]*|default\s*):(?!:)", text[k:k + 200]) \
                    and not re.match(r"\w", text[k - 1]):
                lm = re.match(r"(case\b([^:]*)|default\s*):", text[k:k + 200])
                label = squash(lm.group(2) or "default")
                if text[last:k].strip() == "" and groups:
                    groups[-1][1].add(label)
                else:
                    groups.append([k, {label}])
                last = k + lm.end()
                k = last
                continue
            k += 1
        out.append((cond, groups, j, k))
    return out

def switch_guards(pos):
    sw = switches()
    if not sw:
        return []
    offs = S["line_off"]
    ln = int(pos.line)
    if ln >= len(offs):
        return []
    off = offs[ln - 1] + int(pos.column)
    out = []
    for (cond, groups, b, e) in sw:
        if not b < off < e:
            continue
        cur = None
        for (start, labels) in groups:
            if start <= off:
                cur = labels
        if cur is not None:
            out.append((("switch", norm_cond(cond)[0]), frozenset(cur)))
    return out

def guards_at(pos):
    out = switch_guards(pos)
    for (fn, cond, neg, b, e) in S["guards"]:
        if b <= (int(pos.line), int(pos.column)) <= e:
            out.append((cond, neg))
    return out

def ev(table, kind, pos, expr, **extra):
    if not ensure(pos, table == "acq"):
        return {}
    fn = pos.current_element
    d = {"kind": kind, "pos": pos, "fn": fn, "line": int(pos.line),
         "key": key_of(fn, expr), "expr": squash(expr)}
    d.update(extra)
    S[table].append(d)
    return d

def norm_cond(c):
    # A flag tested through a struct in one function is usually passed
    # on under the fields name: key conditions by the last field names.
    c = re.sub(r"\b\w+(->|\.)(?=\w)", "", squash(c))
    neg = False
    while True:
        while c.startswith("(") and c.endswith(")") and balanced(c[1:-1]):
            c = c[1:-1]
        if c.startswith("!") and not c.startswith("!="):
            c = c[1:]
            neg = not neg
            continue
        return c, neg

def note_guard(pif, C, pt, pe):
    if not ensure(pif):
        return
    c, neg = norm_cond(C)
    fn = pif.current_element
    rng = lambda p: ((int(p.line), int(p.column)), (int(p.line_end), int(p.column_end)))
    b, e = rng(pt)
    S["guards"].append((fn, c, neg, b, e))
    if pe is not None:
        b, e = rng(pe)
        S["guards"].append((fn, c, not neg, b, e))

def bind_guards(guards, call):
    """A callee's conditions in the caller's terms: its parameters
    replaced by the arguments of the call."""
    args = dict((c["n"], c["expr"]) for c in S["calls"]
                if c["pos"].line == call["pos"].line and c["pos"].column == call["pos"].column)
    names = dict((name, args[n]) for (f, n), name in PARAMS[0].items()
                 if f == call["callee"] and n in args)
    def sub(c):
        for name, arg in names.items():
            if not re.match(r"^[\w>.\-\[\]]+$", arg):
                arg = "(" + arg + ")"
            c = re.sub(r"(?<![\w>.])" + re.escape(name) + r"(?!\w)", lambda m: arg, c)
        return norm_cond(c)
    out = []
    for (c, n) in guards:
        if isinstance(c, tuple):
            out.append(((c[0], sub(c[1])[0]), n))
        else:
            c2, neg = sub(c)
            out.append((c2, n != neg))
    return out

PARAMS = [{}]

def compatible(ga, gb):
    for (c, n) in ga:
        for (c2, n2) in gb:
            if c != c2:
                continue
            if isinstance(n, frozenset):
                if not n & n2:
                    return False
            elif n != n2:
                return False
    return True

def finish(pos):
    """Pair every release and write of the file with the acquires whose
    pages reach it; report, and record positions for context and patch."""
    if not ensure(pos) or S["done"]:
        return
    S["done"] = True
    for d in S["acq"] + S["rel"] + S["writes"] + S["store"]:
        d["guards"] = guards_at(d["pos"])
    S["writes"] = [w for w in S["writes"] if not (w.get("dirty") and
                   any(re.search(r"\b(pte|pmd|pud|huge_pte)_dirty\(", c) for (c, n) in w["guards"]))]
    defined = S["funcs"] | set(S["macros"])
    # Parameters of functions and macros: (fn, index) -> name.
    params = {}
    for (fn, n, name) in S["params"]:
        params[(fn, n)] = name
    for m, ps in S["macros"].items():
        for i, name in enumerate(ps):
            params[(m, i)] = name
    PARAMS[0] = params
    kiters = set(k for k in S["kiter"] if k)
    param_names = set((fn, name) for (fn, n), name in params.items())
    # acquisitions: key -> {acq id: (acq, arrival line or None, via fn)}
    reach = {}
    def add(key, a, arrival):
        if key is None:
            return False
        slot = reach.setdefault(key, {})
        aid = id(a)
        if aid in slot:
            old = slot[aid]
            if old is None or arrival is None or arrival >= old:
                return False
        slot[aid] = arrival
        return True
    # An acquire wrapped in a macro acquires the argument of each use.
    for c in S["calls"]:
        m = S["macro_acq"].get(c["callee"])
        if m and m[0] == c["n"]:
            S["acq"].append({"kind": m[1], "pos": c["pos"], "fn": c["fn"],
                             "line": c["line"], "key": c["key"], "expr": c["expr"],
                             "iter": None, "guards": guards_at(c["pos"])})
    acqs = []
    for a in S["acq"]:
        if a["iter"] is not None and key_of(a["fn"], a["iter"]) in kiters:
            continue
        if a["key"] is None:
            continue
        acqs.append(a)
        add(a["key"], a, a["line"] if a["key"][0] == "var" else None)
    # Flow edges: (from key, to key, line where it happens or None).
    edges = []
    kills = {}
    for s in S["asg"]:
        lk, rhs, fn = s["key"], s["rhs"], s["fn"]
        m = re.match(r"^(\w+)\(", rhs)
        rk = key_of(fn, rhs)
        if lk is None:
            continue
        if rk is not None:
            edges.append((rk, lk, s["line"] if lk[0] == "var" else None, None))
        elif m and m.group(1) in S["funcs"]:
            edges.append((("ret", m.group(1)), lk, s["line"] if lk[0] == "var" else None, None))
        elif not s["acquire"]:
            kills.setdefault(lk, []).append(s["line"])
    for st in S["store"]:
        if st["key"] is not None:
            edges.append((st["key"], ("field", st["container"]), None, None))
    for r in S["rets"]:
        if r["key"] is not None:
            edges.append((r["key"], ("ret", r["fn"]), None, None))
    # The parameter of a callee names what its callers pass: pages acquired
    # into it reach the argument of the caller, and the pages of the caller
    # reach it.
    for c in S["calls"]:
        name = params.get((c["callee"], c["n"]))
        if name is None or c["key"] is None:
            continue
        pk = ("var", c["callee"], name)
        edges.append((pk, c["key"], c["line"] if c["key"][0] == "var" else None, c["callee"]))
        edges.append((c["key"], pk, None, None))
    byid = dict((id(a), a) for a in acqs)
    base = dict((k, dict(v)) for k, v in reach.items())
    def propagate(mixed):
        """Follow the edges to a fixed point. Out of a key that also holds
        pages from elsewhere, only pages acquired in the destination
        function flow on."""
        reach.clear()
        reach.update((k, dict(v)) for k, v in base.items())
        changed, rounds = True, 0
        while changed and rounds < 20:
            changed = False
            rounds += 1
            for (src, dst, line, only_from) in edges:
                for aid, arr in list(reach.get(src, {}).items()):
                    a = byid[aid]
                    if only_from is not None and a["fn"] != only_from:
                        continue
                    if src in mixed and (dst[0] != "var" or a["fn"] != dst[1]):
                        continue
                    if dst[0] == "var" and src[0] == "var" and src[1] == dst[1] \
                       and arr is not None and line is not None and line < arr:
                        continue
                    if add(dst, a, line if dst[0] == "var" else None):
                        changed = True
    propagate(set())
    # Containers with pages that come from elsewhere pair only within a
    # function.
    mixed = set()
    def fed(key, fn, depth=0):
        """Whether the pages named by key in fn come from an acquire: one
        made in fn, or in every caller, for a parameter."""
        if key is None:
            return False
        if any(byid[aid]["fn"] == fn for aid in reach.get(key, {})):
            return True
        if key[0] == "var" and (key[1], key[2]) in param_names and depth < 3:
            idx = [n for (f, n), name in params.items() if f == key[1] and name == key[2]]
            cs = [c for c in S["calls"] if c["callee"] == key[1] and c["n"] in idx]
            return bool(cs) and all(fed(c["key"], c["fn"], depth + 1) for c in cs)
        return False
    for st in S["store"]:
        if not fed(st["key"], st["fn"]):
            mixed.add(("field", st["container"]))
    for st in S["asg"]:
        lk = st["key"]
        if lk is None or lk[0] != "field" or st["acquire"]:
            continue
        if re.match(r"^(NULL|0|ERR_PTR\(.*|(\w*alloc\w*|\w*zalloc\w*|kcalloc|kvmalloc_objs|kmalloc_objs|kzalloc_objs|kmemdup|vmalloc_array)\(.*)$", st["rhs"]):
            continue
        if not fed(key_of(st["fn"], st["rhs"]), st["fn"]):
            mixed.add(lk)
    propagate(mixed)
    # A put after the folio was taken out of a page table drops the
    # reference of the mapping, not that of the acquire.
    unmapped = {}
    for u in S["unmap"]:
        if u["key"] is not None:
            unmapped.setdefault(u["key"], []).append(u["line"])
    # CPU writes: a store through, or a copy into, an address that a
    # mapping of the pages returned, or a mapping call used in place.
    maps = [a for a in S["asg"] if a.get("map_of")]
    def mapped_in(fn, text, is_store):
        out = []
        m = re.match(r"^(?:\(\w+\**\))?\(?(\w+)\((.*)$", text)
        if m and m.group(1) in MAPS:
            out.append(key_of(fn, split_args(m.group(2).rstrip(")"))[0]))
        for a in maps:
            if a["fn"] == fn and (not is_store or a["expr"] != text) and \
               re.search(r"(^|[^\w>.])" + re.escape(a["expr"]) + r"($|[^\w])", text):
                out.append(a["map_of"])
        return [k for k in out if k]
    for s in S["asg"] + S["dests"]:
        for mk in mapped_in(s["fn"], s["expr"], s["kind"] == "asg"):
            S["writes"].append({"kind": "cpu_write", "pos": s["pos"], "fn": s["fn"],
                                "line": s["line"], "key": mk, "expr": s["expr"],
                                "guards": guards_at(s["pos"])})
    S["rel"] = [r for r in S["rel"] if not (r["kind"] == "bare" and
                any(ul <= r["line"] for ul in unmapped.get(r["key"], [])))]
    # Releases in the body of a callee, seen at each call with the argument.
    events = list(S["rel"]) + list(S["writes"])
    lifted = []
    frontier = events
    for depth in range(3):
        nxt = []
        for e in frontier:
            k = e["key"]
            if k is None or k[0] != "var":
                continue
            for c in S["calls"]:
                if c["callee"] != k[1] or params.get((c["callee"], c["n"])) != k[2]:
                    continue
                l = dict(e)
                l.update(pos=c["pos"], fn=c["fn"], line=c["line"], key=c["key"],
                         guards=guards_at(c["pos"]) + bind_guards(e["guards"], c),
                         skip_from=e.get("skip_from", set()) | {k[1]})
                nxt.append(l)
        for c in S["calls"]:
            kind = S["macro_rel"].get(c["callee"], {}).get(c["n"])
            if kind and depth == 0:
                nxt.append({"kind": kind, "pos": c["pos"], "fn": c["fn"],
                            "line": c["line"], "key": c["key"], "expr": c["expr"],
                            "guards": guards_at(c["pos"]), "skip_from": set()})
        lifted += nxt
        frontier = nxt
    seen = set()
    dseen = set()
    for e in sorted(events + lifted, key=lambda e: (e["line"], int(e["pos"].column))):
        k = e["key"]
        if k is None:
            continue
        for aid, arr in reach.get(k, {}).items():
            a = byid[aid]
            if a["fn"] in e.get("skip_from", ()):
                continue
            # Pages a caller passes in are paired at the call.
            if k[0] == "var" and (k[1], k[2]) in param_names and a["fn"] != k[1]:
                continue
            if k[0] == "var":
                if arr is not None and e["line"] < arr:
                    continue
                if any(arr is not None and arr < kl <= e["line"] for kl in kills.get(k, [])):
                    continue
            if k in mixed and a["fn"] != e["fn"]:
                continue
            if e["kind"] == "bare" and any(ul <= e["line"] for ul in unmapped.get(k, [])):
                continue
            if a["fn"] == e["fn"] or a["guards"] and e["guards"]:
                if not compatible(a["guards"], e["guards"]):
                    continue
            verdict = VERDICT.get((a["kind"], e["kind"]))
            if not verdict:
                continue
            if any(e["pos"].file.endswith(f) and a["fn"] == fn and verdict.startswith(v)
                   for (f, fn, v) in PROVEN_ELSEWHERE):
                continue
            if verdict.startswith("(d)"):
                if id(a) in dseen:
                    continue
                dseen.add(id(a))
            ident = (e["pos"].line, e["pos"].column, verdict[:3])
            if ident in seen:
                continue
            seen.add(ident)
            gup_report(e["pos"], verdict % a["pos"].line)
            S["flag_rel"].add(where(e["pos"]))
            S["flag_acq"].add(where(a["pos"]))
            if verdict.startswith("(c)") and e.get("fixable") and k[0] == "var" \
               and a["fn"] == e["fn"] and not e.get("skip_from") \
               and not any(kl > min(arr or 0, e["line"]) for kl in kills.get(k, [])):
                S["fix"].setdefault(where(e["pos"]), set()).add(k)
    # The fix is safe where every acquire reaching the pages is FOLL_GET.
    for w, ks in list(S["fix"].items()):
        if any(byid[aid]["kind"] != "get" for k in ks for aid in reach.get(k, {})):
            del S["fix"][w]

def callable_here(f):
    if f in RELEASE_NAMES:
        return False
    return any(f in st["funcs"] or f in st["macros"] for st in FILES.values())

def fixable_at(p):
    return where(p) in FILES.get(p.file, {}).get("fix", ())

def flagged_at(p):
    st = FILES.get(p.file, {})
    return where(p) in st.get("flag_rel", ()) or where(p) in st.get("flag_acq", ())

def where(p):
    return (p.file, str(p.line), str(p.column))

def gup_report(p, msg):
    if MODE[0] == "org":
        coccilib.org.print_todo(p, msg)
    elif MODE[0] == "report":
        coccilib.report.print_report(p, msg)

@script:python depends on org@
@@
MODE[0] = "org"

@script:python depends on context || patch@
@@
MODE[0] = "quiet"

// ---------------------------------------------------------------- acquire

@acq_pin@
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
P = pin_user_page_vma_remote(...)@p
|
memfd_pin_folios(E1, E2, E3, P, ...)@p
)

@script:python@
p << acq_pin.p;
P << acq_pin.P;
@@
ev("acq", "pin", p[0], P, iter=None)

@acq_extract@
expression I, P;
position p;
@@
iov_iter_extract_pages(I, P, ...)@p

@script:python@
p << acq_extract.p;
P << acq_extract.P;
I << acq_extract.I;
@@
ev("acq", "pin", p[0], P, iter=None)

@acq_get@
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
)

@script:python@
p << acq_get.p;
P << acq_get.P;
@@
if squash(P) != "NULL":
    ev("acq", "get", p[0], P, iter=None)

@acq_iter@
expression I, P;
position p;
@@
(
iov_iter_get_pages2(I, P, ...)@p
|
iov_iter_get_pages_alloc2(I, P, ...)@p
)

@script:python@
p << acq_iter.p;
P << acq_iter.P;
I << acq_iter.I;
@@
if squash(P) != "NULL":
    ev("acq", "get", p[0], P, iter=I)

// --------------------------------------------------------- data flow facts

@fn depends on acq_pin || acq_extract || acq_get || acq_iter@
identifier F, X;
parameter list[n] ps;
type T;
position p;
@@
F(ps, T X, ...)@p { ... }

@script:python@
p << fn.p;
F << fn.F;
X << fn.X;
n << fn.n;
@@
if ensure(p[0]):
    S["funcs"].add(F)
    S["params"].append((F, int(n), X))

@fn0 depends on acq_pin || acq_extract || acq_get || acq_iter@
identifier F;
position p;
@@
F(...)@p { ... }

@script:python@
p << fn0.p;
F << fn0.F;
@@
if ensure(p[0]):
    S["funcs"].add(F)

@asg depends on acq_pin || acq_extract || acq_get || acq_iter@
expression L, R;
position p;
@@
L@p = R

@script:python@
p << asg.p;
L << asg.L;
R << asg.R;
@@
r = squash(R)
d = ev("asg", "asg", p[0], L, rhs=r,
       acquire=bool(re.match(r"^(pin|get)_user_page|^get_dump_page\(", r)))
m = re.match(r"^(?:\(\w+\**\))?(\w+)\((.*)\)$", r)
if d and m and m.group(1) in MAPS and balanced(m.group(2)):
    # L now holds the address of the data of the pages given to the mapping.
    d["map_of"] = key_of(d["fn"], split_args(m.group(2))[0])

@ret depends on acq_pin || acq_extract || acq_get || acq_iter@
expression E;
position p;
@@
return E@p;

@script:python@
p << ret.p;
E << ret.E;
@@
ev("rets", "ret", p[0], E)

@calls depends on acq_pin || acq_extract || acq_get || acq_iter@
identifier F : script:python () { callable_here(F) };
expression list[n] es;
expression A;
position p;
@@
F(es, A, ...)@p

@script:python@
p << calls.p;
F << calls.F;
n << calls.n;
A << calls.A;
@@
ev("calls", "call", p[0], A, callee=F, n=int(n))

@kiter depends on acq_iter@
identifier F = {iov_iter_kvec, iov_iter_bvec, iov_iter_xarray, iov_iter_folio_queue, iov_iter_discard};
expression I;
position p;
@@
F(I, ...)@p

@script:python@
p << kiter.p;
I << kiter.I;
@@
if ensure(p[0]):
    S["kiter"].append(key_of(p[0].current_element, I))

@guard depends on acq_pin || acq_extract || acq_get || acq_iter@
expression C;
statement S1, S2;
position pi, pt, pe;
@@
if@pi (C) S1@pt else S2@pe

@script:python@
pi << guard.pi;
pt << guard.pt;
pe << guard.pe;
C << guard.C;
@@
note_guard(pi[0], C, pt[0], pe[0])

@guard1 depends on acq_pin || acq_extract || acq_get || acq_iter@
expression C;
statement S1;
position pi, pt;
@@
if@pi (C) S1@pt

@script:python@
pi << guard1.pi;
pt << guard1.pt;
C << guard1.C;
@@
note_guard(pi[0], C, pt[0], None)

@guard2 depends on acq_pin || acq_extract || acq_get || acq_iter@
expression C, E1, E2;
position pi, pt, pe;
@@
C@pi ? E1@pt : E2@pe

@script:python@
pi << guard2.pi;
pt << guard2.pt;
pe << guard2.pe;
C << guard2.C;
@@
note_guard(pi[0], C, pt[0], pe[0])

// ------------------------------------------------ stores into containers

@store depends on acq_pin || acq_extract || acq_get || acq_iter@
expression S, X, Q;
identifier SG = {sg_set_page, sg_assign_page, sg_alloc_table_from_pages,
                 sg_alloc_table_from_pages_segment, sg_alloc_append_table_from_pages,
                 __sg_alloc_table_from_pages, sg_set_folio};
identifier BV = {bvec_set_page, bvec_set_folio, bio_add_page, __bio_add_page,
                 bio_add_folio, bio_add_folio_nofail, bio_add_user_page};
identifier FR = {skb_fill_page_desc, __skb_fill_page_desc, skb_add_rx_frag};
position p1, p2, p3;
@@
(
SG(S, X, ...)@p1
|
BV(S, X, ...)@p2
|
bio_add_pc_page(Q, S, X, ...)@p2
|
FR(S, Q, X, ...)@p3
|
skb_frag_fill_page_desc(S, X, ...)@p3
)

@script:python@
p << store.p1;
X << store.X;
@@
ev("store", "store", p[0], X, container="<sg>")

@script:python@
p << store.p2;
X << store.X;
@@
ev("store", "store", p[0], X, container="bv_page")

@script:python@
p << store.p3;
X << store.X;
@@
ev("store", "store", p[0], X, container="<frag>")

// ---------------------------------------------------------------- release

@rel depends on acq_pin || acq_extract || acq_get || acq_iter@
identifier BARE = {put_page, folio_put, folio_put_refs, release_pages, folios_put, folio_release_kmap};
identifier UNPIN = {unpin_user_page, unpin_user_pages, unpin_user_pages_dirty_lock,
                    unpin_user_page_range_dirty_lock, unpin_folio, unpin_folios, unpin_user_folio};
identifier PUT_USER = {put_user_page, put_user_pages, put_user_pages_dirty_lock};
expression X;
position p1, p2, p3;
@@
(
BARE(X, ...)@p1
|
UNPIN(X, ...)@p2
|
PUT_USER(X, ...)@p3
)

@script:python@
p << rel.p1;
X << rel.X;
@@
x = squash(X)
ev("rel", "bare", p[0], X, fixable=bool(re.match(r"^[A-Za-z_]\w*(\[[^\]]*\])?$", x)))

@script:python@
p << rel.p2;
X << rel.X;
@@
ev("rel", "unpin", p[0], X)

@script:python@
p << rel.p3;
X << rel.X;
@@
ev("rel", "put_user", p[0], X)

@unmap depends on acq_pin || acq_extract || acq_get || acq_iter@
identifier U = {folio_remove_rmap_pte, folio_remove_rmap_ptes, folio_remove_rmap_pmd,
                folio_remove_rmap_pud, page_remove_rmap};
expression X;
position p;
@@
U(X, ...)@p

@script:python@
p << unmap.p;
X << unmap.X;
@@
ev("unmap", "unmap", p[0], X)

// ------------------------------------------------------ writes, CPU and DMA

@cpu_w depends on acq_pin || acq_extract || acq_get || acq_iter@
identifier W = {memcpy, memmove, memset, copy_from_user, __copy_from_user,
                __copy_from_user_inatomic, copy_from_iter, _copy_from_iter,
                copy_from_iter_full, copy_from_iter_nocache, strscpy, strcpy,
                strncpy, strlcpy, sprintf, snprintf, scnprintf, memcpy_fromio,
                memset32, memset64, copy_from_kernel_nofault};
expression D;
position p;
@@
W(D, ...)@p

@script:python@
p << cpu_w.p;
D << cpu_w.D;
@@
ev("dests", "dest", p[0], D)

@page_w depends on acq_pin || acq_extract || acq_get || acq_iter@
identifier W = {memcpy_to_page, memzero_page, zero_user, zero_user_segment,
                zero_user_segments, copy_highpage, copy_user_highpage,
                copy_page_from_iter, copy_page_from_iter_atomic, clear_highpage,
                clear_user_highpage, memcpy_page,
                folio_zero_range, folio_zero_segment, folio_zero_segments,
                folio_zero_tail, copy_folio_from_iter, memcpy_to_folio};
expression X;
position p;
@@
W(X, ...)@p

@script:python@
p << page_w.p;
X << page_w.X;
@@
ev("writes", "cpu_write", p[0], X)

@dirty_w depends on acq_pin || acq_extract || acq_get || acq_iter@
identifier W = {set_page_dirty, set_page_dirty_lock, folio_mark_dirty,
                folio_mark_dirty_lock, SetPageDirty, folio_set_dirty};
expression X;
position p;
@@
W(X, ...)@p

@script:python@
p << dirty_w.p;
X << dirty_w.X;
@@
ev("writes", "dirty_write", p[0], X, dirty=True)

@dma_w depends on acq_pin || acq_extract || acq_get || acq_iter@
identifier MP = {dma_map_page, ib_dma_map_page, pci_map_page};
identifier MS = {dma_map_sg, ib_dma_map_sg, pci_map_sg};
expression D, X, O, L, DIR, A, N;
position p1, p2;
@@
(
MP(D, X, O, L, DIR)@p1
|
dma_map_page_attrs(D, X, O, L, DIR, A)@p1
|
MS(D, X, N, DIR)@p2
|
dma_map_sg_attrs(D, X, N, DIR, A)@p2
|
ib_dma_map_sg_attrs(D, X, N, DIR, A)@p2
|
dma_map_sgtable(D, X, DIR, A)@p2
|
ib_dma_map_sgtable_attrs(D, X, DIR, A)@p2
)

@script:python@
p << dma_w.p1;
X << dma_w.X;
DIR << dma_w.DIR;
@@
if squash(DIR) not in DMA_READ_ONLY:
    ev("writes", "dma_write", p[0], X)

@script:python@
p << dma_w.p2;
DIR << dma_w.DIR;
@@
if squash(DIR) not in DMA_READ_ONLY:
    ev("writes", "dma_write", p[0], "sg_page(x)")

// ------------------------------------------------------------ pair, once

@last depends on acq_pin || acq_extract || acq_get || acq_iter@
position p;
@@
(
pin_user_pages(...)@p
|
pin_user_pages_fast(...)@p
|
pin_user_pages_remote(...)@p
|
pin_user_pages_unlocked(...)@p
|
pin_user_page_vma_remote(...)@p
|
memfd_pin_folios(...)@p
|
iov_iter_extract_pages(...)@p
|
get_user_pages(...)@p
|
get_user_pages_fast(...)@p
|
get_user_pages_fast_only(...)@p
|
get_user_pages_remote(...)@p
|
get_user_pages_unlocked(...)@p
|
get_user_page_fast_only(...)@p
|
get_user_page_vma_remote(...)@p
|
get_dump_page(...)@p
|
iov_iter_get_pages2(...)@p
|
iov_iter_get_pages_alloc2(...)@p
)

@script:python@
p << last.p;
@@
finish(p[0])

// ---------------------------------------------------------------- context

@depends on context@
identifier F;
position p : script:python () { flagged_at(p[0]) };
@@
* F(...)@p

@depends on context@
expression L, R;
position p : script:python () { flagged_at(p[0]) };
@@
* L@p = R

// ------------------------------------------------------------------ patch

@depends on patch && !context && !org && !report@
expression X, N;
position p : script:python () { fixable_at(p[0]) };
@@
(
- put_page(X)@p
+ put_user_page(X)
|
- release_pages(X, N)@p
+ put_user_pages(X, N)
)
