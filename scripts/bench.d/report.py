#!/usr/bin/env python3
# Usage: report.py RUN_DIR FRAGMENT [EXTRA_FRAGMENT...]
#
# Turn one scripts/bench run (RUN_DIR: A-N and B-N result lines, A and B the
# labels in meta, base and patched by default; meta, text,
# bloat-o-meter.txt, audit-*) into the Markdown report on stdout. In
# --debug-gup-refs mode (meta mode=debug-gup-refs) the kernels are "off"
# and "on", nothing is a target and there is no audit timing; in --parts
# mode (mode=parts) the kernels are the series through patches M and N, and
# the same holds.
# Part of scripts/bench; not meant to be run on its own.

import os
import re
import statistics
import sys

run, frag, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
meta = {}
with open(os.path.join(run, "meta")) as f:
    for line in f:
        k, _, v = line.rstrip("\n").partition("=")
        meta[k] = v
pairs = int(meta["pairs"])
LA, LB = meta.get("label_a", "base"), meta.get("label_b", "patched")
REFS = meta.get("mode") == "debug-gup-refs"
PARTS = meta.get("mode") == "parts"
# No targets, no audit: the targets are for the whole series.
NOTARGET = REFS or PARTS

FIO_JOBS = [
    "randread-io_uring-qd32",
    "randwrite-io_uring-qd32",
    "randread-psync-qd1",
    "randwrite-psync-qd1",
]
GUP_TESTS = ["gup_fast-nothp", "gup_fast-thp", "pin_fast-nothp", "pin_fast-thp"]
NVME_JOBS = ["randread-io_uring-qd32", "randread-psync-qd1"]
# Targets on the median patched/base ratio (issue: zero cost on the hot
# paths). gup_test's FOLL_GET put is a put_page() loop on base and
# put_user_pages() patched.
T_FIO = ("<=", 1.002, "≤ 1.002")
T_NVME = ("<=", 1.000, "≤ 1.000")
T_PIN = ("<=", 1.003, "≤ 1.003")
GUP_TARGETS = {
    ("put", "gup_fast-nothp"): ("<=", 1.00, "≤ 1.00 (put_user_pages() vs put_page() loop, order-0)"),
    ("put", "gup_fast-thp"): ("<=", 0.10, "≤ 0.10 (put_user_pages() vs put_page() loop, THP)"),
    ("get", "pin_fast-nothp"): T_PIN,
    ("put", "pin_fast-nothp"): T_PIN,
    ("get", "pin_fast-thp"): T_PIN,
    ("put", "pin_fast-thp"): T_PIN,
}
TEXT_LIMIT = 1.0002


def parse(path):
    figs, info = {}, {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) < 3 or w[0] != "BENCH":
                continue
            kv = dict(x.split("=", 1) for x in w[3:] if "=" in x)
            if w[1] == "fio":
                ios, ms = int(kv["ios"]), int(kv["runtime_ms"])
                figs[("iops", w[2])] = ios * 1000.0 / ms
                figs[("ipio", w[2])] = ms * 1e6 / ios
            elif w[1] == "gup":
                n = int(kv["pages"]) * int(kv["reps"])
                figs[("get", w[2])] = int(kv["get_us"]) * 1000.0 / n
                figs[("put", w[2])] = int(kv["put_us"]) * 1000.0 / n
                info["thp_faults " + w[2]] = kv.get("thp_faults", "?")
            elif w[1] == "nvme":
                ios = int(kv["ios"])
                figs[("nvme", w[2])] = int(kv["busy_ns"]) / ios
                figs[("nvme-elapsed", w[2])] = int(kv["elapsed_ns"]) / ios
            elif w[1] == "info":
                for x in w[2:]:
                    k, _, v = x.partition("=")
                    info[k] = v
    return figs, info


runs = {LA: [], LB: []}
infos = {LA: [], LB: []}
for i in range(1, pairs + 1):
    for k in runs:
        figs, info = parse(os.path.join(run, f"{k}-{i}"))
        runs[k].append(figs)
        infos[k].append(info)


def fmt(x):
    if x >= 10000:
        return f"{x:,.0f}"
    if x >= 100:
        return f"{x:,.1f}"
    return f"{x:.2f}"


def stats(vals):
    return f"{fmt(statistics.median(vals))} ({fmt(min(vals))}–{fmt(max(vals))})"


rows = []
verdicts = []


def row(label, unit, key, target=None):
    b = [r[key] for r in runs[LA]]
    p = [r[key] for r in runs[LB]]
    ratios = [y / x for x, y in zip(b, p)]
    med = statistics.median(ratios)
    status = "—"
    tdesc = "— (informational)"
    if target and not NOTARGET:
        op, lim, tdesc = target
        ok = med >= lim if op == ">=" else med <= lim
        status = "**met**" if ok else "**MISSED**"
        verdicts.append((label, ok))
    rows.append(
        f"| {label} | {unit} | {stats(b)} | {stats(p)} | "
        f"{' '.join(f'{r:.4f}' for r in ratios)} | **{med:.4f}** | {tdesc} | {status} |"
    )


for j in FIO_JOBS:
    row(f"fio null_blk {j} instructions/I/O", "instr (guest ns)", ("ipio", j), T_FIO)
for j in NVME_JOBS:
    row(f"fio NVMe {j} instructions/I/O (busy)", "instr", ("nvme", j), T_NVME)
for t in GUP_TESTS:
    for s in ("get", "put"):
        row(f"gup_test {t} {s}", "instr/page", (s, t), GUP_TARGETS.get((s, t)))
for j in FIO_JOBS:
    row(f"fio null_blk {j} IOPS", "IOPS (1e9 / instructions per I/O)", ("iops", j))
for j in NVME_JOBS:
    row(f"fio NVMe {j} elapsed guest ns/I/O (spin included)", "ns", ("nvme-elapsed", j))

with open(os.path.join(run, "text")) as f:
    tb, tp = [int(x) for x in f.read().split()]
tratio = tp / tb
tok = tratio <= TEXT_LIMIT
if not NOTARGET:
    verdicts.append(("vmlinux text", tok))
rows.append(
    f"| vmlinux text (sum of function sizes) | bytes | {tb:,} | {tp:,} | {tp - tb:+,} B | **{tratio:.5f}** "
    f"({(tratio - 1) * 100:+.4f}%) | "
    + ("— (informational) | — |" if NOTARGET else
       f"≤ {(TEXT_LIMIT - 1) * 100:+.2f}% | {'**met**' if tok else '**MISSED**'} |")
)

with open(os.path.join(run, "bloat-o-meter.txt")) as f:
    bloat = f.read().splitlines()
summary = [l for l in bloat if l.startswith("add/remove") or l.startswith("Total:")]
deltas = []
for l in bloat:
    m = re.match(r"^(\S+)\s+(-|\d+)\s+(-|\d+)\s+([+-]\d+)$", l)
    if m:
        deltas.append((int(m.group(4)), m.group(1), m.group(2), m.group(3)))
growers = sorted([d for d in deltas if d[0] > 0], key=lambda d: -d[0])[:10]
shrinkers = sorted([d for d in deltas if d[0] < 0], key=lambda d: d[0])[:10]

audit_lines = []
subset = os.path.join(run, "audit-subset")
if os.path.exists(subset):
  with open(subset) as f:
    secs, sub_bytes, all_bytes = [int(x) for x in f.read().split()[:3]]
  by_bytes = secs * all_bytes / sub_bytes
  audit_lines = [
    f"- **measured**: `mm/` ({sub_bytes / 1e6:.1f} MB of .c/.h) in {secs} s;",
    f"- **extrapolated, not measured**: whole tree ({all_bytes / 1e6:.0f} MB of .c/.h) "
    f"≈ {by_bytes / 60:.0f} min, scaling the mm/ time by bytes.",
  ]
full = os.path.join(run, "audit-full")
if NOTARGET:
    pass
elif os.path.exists(full):
    with open(full) as f:
        w = f.read().split()
    if w[0] == "timeout":
        audit_lines.append(f"- **measured lower bound**, whole tree (`--audit`): did not finish "
                           f"within {int(w[1]) // 60} min ({w[1]} s); the whole-tree time is more than that.")
    else:
        audit_lines.append(f"- **measured** whole tree (`--audit`): {int(w[0]) // 60}m{int(w[0]) % 60:02d}s.")
else:
    audit_lines.append("- the whole-tree run was not requested (`scripts/bench --audit`).")

with open(frag) as f:
    frag_text = f.read()
extra_text = []
for x in extra:
    with open(x) as f:
        extra_text.append((os.path.basename(x), f.read()))

b0, p0 = infos[LA][0], infos[LB][0]
out = []
P = out.append
if REFS:
    P("# Benchmark: CONFIG_DEBUG_GUP_REFS off vs on (patched tree, DEBUG_VM in both)")
elif PARTS:
    m, n = int(meta["part_m"]), int(meta["part_n"])
    what = f"patch {n}" if n == m + 1 else f"patches {m + 1}-{n}"
    P(f"# Benchmark: the cost of {what} of the series ({LA} vs {LB})")
    P("")
    P(f"- **{LA}:** " + (f"the base, {meta['subject_0']}" if m == 0 else
                         f"the series through patch {m}, \"{meta['subject_' + str(m)]}\""))
    P(f"- **{LB}:** the series through patch {n}, \"{meta['subject_' + str(n)]}\"")
else:
    P("# Benchmark: base " + os.environ.get("BASE_TAG", "base") + " vs patched")
P("")
P(f"- **date:** {meta['date']}")
P(f"- **series:** {meta['npatches']} patches, tip `{meta['tip']}` "
  f"\"{meta['tip_subject']}\" (repository commit `{meta['repo']}`)")
P(f"- **machine:** {meta['nproc']} CPUs, {meta['cpu']}; {meta['qemu']}; {meta['gcc']}; {meta['fio']}")
P(f"- **QEMU:** `{meta['qemu_cmd']}` — TCG, icount mode `shift=0,sleep=off` "
  "(1 guest ns = 1 guest instruction), one vCPU")
P(f"- **kernel command line:** `{meta['cmdline']}`")
if REFS:
    P(f"- **kernels:** both the patched tree (`{p0.get('kernel', '?')}`), x86_64 `tinyconfig` + "
      f"`scripts/bench.d/x86_64.config` (sha256 `{meta['frag_sha']}`) + "
      "`scripts/bench.d/debug-vm.config` (DEBUG_VM); the on kernel also "
      "`scripts/bench.d/debug-gup-refs.config` (CONFIG_DEBUG_GUP_REFS=y), the only config difference")
else:
    P(f"- **kernels:** {LA} `{b0.get('kernel', '?')}`, {LB} `{p0.get('kernel', '?')}`; "
      f"one config, x86_64 `tinyconfig` + `scripts/bench.d/x86_64.config` "
      f"(sha256 `{meta['frag_sha']}`), a performance config: no DEBUG_VM, no KASAN")
P(f"- **pairs:** {pairs}, booted B P B P ...; fio {meta['ios']} I/Os per job after a "
  f"2000-I/O warm-up; gup_test {meta['gup_mb']} MiB ({int(meta['gup_mb']) * 256} pages), "
  f"512 pages per call, {meta['gup_reps']} repetitions per boot")
P(f"- **null_blk:** {b0.get('null_blk', '?')} (blk-mq, completion in the submitting "
  f"context, no data copy: the figures are the I/O path, not memcpy); THP `{b0.get('thp', '?')}`; "
  f"THP faults in the -t runs ({LA}/{LB}, boot 1): "
  + ", ".join(f"{t} {b0.get('thp_faults ' + t, '?')}/{p0.get('thp_faults ' + t, '?')}"
              for t in GUP_TESTS))
P("")
P(f"Ratios are {LB}/{LA} per pair, in boot order"
  + ("; nothing here is a target: the option is for debugging, and this is its price."
     if REFS else "; nothing here is a target: the targets are for the whole series "
     "(results/bench.md), this is what these patches add." if PARTS
     else "; the target is checked on their median."))
P("")
P(f"| figure | unit | {LA} median (min–max) | {LB} median (min–max) | {LB}/{LA} per pair | median ratio | target | status |")
P("|---|---|---|---|---|---|---|---|")
out.extend(rows)
P("")
met = sum(1 for _, ok in verdicts if ok)
if not NOTARGET:
  P(f"**Targets: {met} of {len(verdicts)} met**"
  + ("" if met == len(verdicts) else
     " — missed: " + ", ".join(l for l, ok in verdicts if not ok)) + ".")
P("")
P("How to read it: with `-icount shift=0,sleep=off` the guest clock advances one "
  "nanosecond per executed instruction, so every guest-measured time is an "
  "instruction count. IOPS = I/Os / fio runtime (ms resolution; runs are several "
  "guest seconds), and instructions per I/O = guest ns per I/O = 1e9 / IOPS, the "
  "whole stack (fio, syscalls, io_uring, block layer, GUP, null_blk) included. "
  "`perf stat -e instructions` is not available (no hardware counters on the host "
  "or in the guest), so this is the instruction proxy. gup_test times are the "
  "kernel's own ktime around the get and put loops (µs resolution, summed over "
  "the repetitions), divided by the pages: instructions per page. Cache misses, "
  "memory latency, TLB and lock contention are invisible under TCG; the figures "
  "say how much code runs, not how fast real hardware runs it. Host load does "
  "not change them.")
P("")
P("NVMe rows: QEMU's emulated controller (`-device nvme`, a sparse raw image) "
  "completes I/O from host threads, so the guest would halt while it waits, and "
  "under `sleep=off` a halted guest's clock jumps ahead. `/bench/spin` "
  "(scripts/bench.d/spin.c) spins at SCHED_IDLE instead; its CPU time is taken "
  "out of the elapsed guest time (`/proc/timer_list`'s clock) of each fio job, and "
  "what is left, divided by the I/Os, is the instructions the I/O path ran: fio, "
  "io_uring or the syscall, the block layer, the NVMe driver's DMA mapping "
  "(blk_rq_dma_map_iter_*, dma-direct) and the completion interrupt. The elapsed "
  "rows include the spin and are informational.")
P("")
P("## vmlinux text (bloat-o-meter -t)")
P("")
P("The text figure is bloat-o-meter -t's total, the sum of the sizes of the function "
  "symbols: the .text section and _etext are padded to 2 MiB on x86_64, so size(1) "
  "shows no change.")
P("")
for l in summary:
    P(f"- `{l}`")
P("")
if growers:
    P("Top growers:")
    P("")
    P(f"| function | {LA} | {LB} | delta |")
    P("|---|---|---|---|")
    for d, name, old, new in growers:
        P(f"| `{name}` | {old} | {new} | {d:+} |")
    P("")
if shrinkers:
    P("Top shrinkers:")
    P("")
    P(f"| function | {LA} | {LB} | delta |")
    P("|---|---|---|---|")
    for d, name, old, new in shrinkers:
        P(f"| `{name}` | {old} | {new} | {d:+} |")
    P("")
if not NOTARGET:
  P("## Audit run time (`coccinelle/gup_release.cocci`, report mode, patched tree)")
  P("")
  P("`spatch --very-quiet -D report --sp-file coccinelle/gup_release.cocci "
  "--no-includes --include-headers --jobs $(nproc) --chunksize 1 --dir <dir>` "
  f"(the options of scripts/audit), on the host ({meta['nproc']} CPUs, shared "
  "with other work: wall-clock time, not an icount figure):")
P("")
out.extend(audit_lines)
P("")
P("## Timings of this run")
P("")
P(f"- kernel builds: {LA} {meta.get('time_build-' + LA) or '?'}, {LB} {meta.get('time_build-' + LB) or '?'} "
  f"(all builds incl. tools and initramfs: {meta['time_builds']}; `cached` = up to date, not rebuilt)")
P(f"- one boot: {meta['time_boot']}; one pair: {meta['time_pair']}; all {pairs} pairs: {meta['time_boots']}")
P("")
P("## Kernel config fragment")
P("")
P(f"`scripts/bench.d/x86_64.config`, sha256 `{meta['frag_sha']}`…, merged over `make ARCH=x86_64 tinyconfig`:")
P("")
P("```")
P(frag_text.rstrip("\n"))
P("```")
for name, text in extra_text:
    P("")
    P(f"`scripts/bench.d/{name}`, merged after it:")
    P("")
    P("```")
    P(text.rstrip("\n"))
    P("```")
print("\n".join(out))
