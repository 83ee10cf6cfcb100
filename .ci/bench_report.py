#!/usr/bin/env python3
"""Writes BENCHMARKS.md (to stdout) from one run of .ci/bench.sh: target/bench/results.jsonl (one
JSON object per scenario process, with its peak memory) and the criterion outputs."""
import json
import os
import platform
import re
import statistics
import sys
from datetime import datetime, timezone

out = sys.argv[1]
rows = [json.loads(l) for l in open(os.path.join(out, "results.jsonl"), encoding="utf-8") if l.strip()]
by = {}
for r in rows:
    by.setdefault(r["name"], []).append(r)


def one(name):
    return by.get(name, [None])[0]


def th(n):
    """A count with thin spaces between thousands: 100 000."""
    return f"{n:,}".replace(",", "\u2009")


def mb(kb):
    return f"{kb / 1024:.0f} MB" if kb else "—"


def ms(v):
    if v is None:
        return "—"
    if v < 0.1:
        return f"{v * 1000:.1f} µs"
    return f"{v:.1f} ms" if v < 100 else f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.0f} ms"


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo", encoding="utf-8"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1]
    osname = "?"
    if os.path.exists("/etc/os-release"):
        for line in open("/etc/os-release", encoding="utf-8"):
            if line.startswith("PRETTY_NAME="):
                osname = line.split("=", 1)[1].strip().strip('"')
    load = open("/proc/loadavg").read().split()[:3]
    return cpu, os.cpu_count(), int(mem) // 1024, osname, platform.release(), " ".join(load)


UNITS = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}


def criterion(name):
    path = os.path.join(out, f"criterion-{name}.txt")
    if not os.path.exists(path):
        return [], ""
    text = open(path, encoding="utf-8").read()
    found, prev = [], ""
    for line in text.splitlines():
        m = re.search(r"time:\s*\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", line)
        if m:
            label = line.split("time:")[0].strip() or prev
            found.append((label, float(m.group(1)) * UNITS[m.group(2)]))
        elif line.strip() and not line.strip().startswith(("change:", "Found", "No change", "Performance", "thrpt")):
            prev = line.strip()
    return found, text


cpu, cores, ram, osname, kernel, load = machine()
demo = one("demo_large") or {}
search = one("search") or {}
cof = one("cofinancing") or {}
act = one("act") or {}
acts = one("acts_1000") or {}
fns = one("fns_import") or {}
starts = [r for r in by.get("app_start", []) if r.get("ms") is not None]
lo = by.get("libreoffice_act", [])
lo_ms = statistics.median([r["ms"] for r in lo]) if lo else None
start_ms = statistics.median([r["ms"] for r in starts]) if starts else None

p = print
p("# Benchmarks")
p()
p("Figures of one run of `make bench` (`.ci/bench.sh`), which regenerates this file. Timings on a")
p("shared machine vary from run to run: compare the medians and ratios **within** one run, not")
p("across runs. Benchmarks are not part of `make test`; `cargo clippy --workspace --all-targets`")
p("(in `make test`) type-checks the criterion benches, so they always compile.")
p()
p("## How to run")
p()
p("```sh")
p("make bench                      # everything below, ~30–60 min on 2 cores; rewrites BENCHMARKS.md")
p("BENCH_FNS_MB=512 make bench     # a smaller generated registry file (default 2048 MB)")
p("BENCH_REUSE_LARGE=1 make bench  # keep target/bench/large from the previous run")
p("target/release/cpe --data-dir DIR bench search|cofinancing|act|acts|fns-import   # one scenario")
p("```")
p()
p("The script builds release binaries, generates the large demo data (`cpe demo --scale large`)")
p("through the core's write paths, runs each scenario as its own process under `/usr/bin/time -v`")
p("(peak memory = its maximum resident set size), starts the real release app under Xvfb on the")
p("large data, installs LibreOffice Writer (`libreoffice-writer-nogui`, for the comparison only —")
p("it is not a dependency of the app) and runs the criterion benches of the core.")
p()
p("## Machine and run")
p()
p(f"- CPU: {cpu}, {cores} logical cores; RAM {ram} MB")
p(f"- OS: {osname}, kernel {kernel}")
p(f"- Load average at the end of the run: {load} (the benchmarks use one core; a figure well above 1")
p("  means something else was running and the timings are pessimistic)")
p(f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
p()
p("## Large demo data")
p()
if demo:
    if demo.get("reused"):
        p(f"Reused from the run of {demo.get('date', 'an earlier day')} (`BENCH_REUSE_LARGE=1`); the generation "
          f"figures below are that run's.")
        p()
    p(f"`cpe demo --scale {demo.get('scale', 'large')}` made {th(demo.get('smes', 0))} businesses, {th(demo.get('applications', 0))} applications "
      f"({th(demo.get('refused', 0))} refused), {th(demo.get('agreements', 0))} agreements, {th(demo.get('acts', 0))} acts, "
      f"{th(demo.get('payments', 0))} payments, {th(demo.get('export_contracts', 0))} export contracts and "
      f"{th(demo.get('eligibility_checks', 0))} eligibility checks in **{demo.get('seconds', 0) / 60:.1f} min**, "
      f"peak memory {mb(demo.get('peak_rss_kb'))}.")
    ver = one("verify_large")
    if ver:
        who = "The run that made it re-checked all of it" if ver.get("reused") else "Re-checking all of it after the fact"
        p(f"{who} (`cpe demo --verify-only`: the cofinancing engine over every "
          f"agreement, every identifier, acts and payments within their agreements) found "
          f"**{ver.get('violations', '?')} violations**, peak memory {mb(ver.get('peak_rss_kb'))}.")
else:
    p("Reused from an earlier run (`BENCH_REUSE_LARGE=1`).")
p()
p("## Scenarios on the large data")
p()
p("| scenario | median | p95 | peak memory | target (issue) |")
p("|---|---|---|---|---|")
if search:
    p(f"| SME search, {th(search.get('smes', 0))} records, via the core (all queries) | {ms(search.get('p50_ms'))} | "
      f"{ms(search.get('p95_ms'))} | {mb(search.get('peak_rss_kb'))} | p95 < 10 ms at 100 000 |")
    p(f"| SME search, plain `LIKE` scan (same queries) | {ms(search.get('like_p50_ms'))} | — | same process | — |")
if cof:
    p(f"| full cofinancing check, SME with the longest history ({cof.get('sme_agreements')} agreements; "
      f"{th(cof.get('agreements_in_db', 0))} in the database) | {ms(cof.get('p50_ms'))} | {ms(cof.get('p95_ms'))} | "
      f"{mb(cof.get('peak_rss_kb'))} | — (loads history and the year's budget from the database; the engine itself: criterion below, < 1 ms) |")
    if cof.get("after_change_p50_ms") is not None:
        p(f"| the same, first check after any change (the year's budget usage read again) | "
          f"{ms(cof.get('after_change_p50_ms'))} | {ms(cof.get('after_change_p95_ms'))} | same process | — |")
if act:
    p(f"| one act PDF from the database (first in the process, with fonts: {ms(act.get('first_ms'))}) | "
      f"{ms(act.get('p50_ms'))} | {ms(act.get('p95_ms'))} | {mb(act.get('peak_rss_kb'))} | < 20 ms |")
if acts:
    archived = f"; archived after it: {ms(acts['archive_ms'])}" if "archive_ms" in acts else ""
    p(f"| {acts.get('acts')} acts into one PDF (read, laid out, rendered{archived}) | {ms(acts.get('ms'))} (one run) | — | {mb(acts.get('peak_rss_kb'))} | < 5 s |")
if fns:
    p(f"| tax-service registry import, generated {th(round(fns.get('bytes', 0) / 2**20))} MB XML, region {fns.get('region')} "
      f"({th(fns.get('records_seen', 0))} records read, {th(fns.get('records_imported', 0))} kept) | "
      f"**{fns.get('mb_per_s', 0):.1f} MB/s** ({fns.get('seconds', 0):.0f} s) | — | {mb(fns.get('peak_rss_kb'))} | ≥ 50 MB/s, < 200 MB |")
for fmt in ("pdf", "xlsx"):
    r = one(f"report_{fmt}")
    if r:
        p(f"| yearly report {fmt.upper()} of {r.get('year', 'the last full year')} (whole `cpe report yearly` process) | {ms(r.get('ms'))} (one run) | — | {mb(r.get('peak_rss_kb'))} | < 1 s for 2 000 SMEs / 5 000 services |")
medium = one("report_pdf_medium")
if medium:
    p(f"| yearly report PDF of {medium.get('year')}, medium demo: {th(medium.get('smes', 0))} SMEs / "
      f"{th(medium.get('services', 0))} services in the year (whole process) | {ms(medium.get('ms'))} (one run) | — | "
      f"{mb(medium.get('peak_rss_kb'))} | < 1 s for 2 000 SMEs / 5 000 services |")
if starts:
    p(f"| app start to first screen (release, Xvfb, large data; {len(starts)} starts) | {ms(start_ms)} | "
      f"max {ms(max(r['ms'] for r in starts))} | {mb(max(r.get('peak_rss_kb', 0) for r in starts))} | — |")
else:
    p("| app start to first screen | **no first-screen line was logged** | — | — | — |")
p()
p("## Peer comparisons (same run)")
p()
if act and lo_ms:
    p(f"- **Act PDF**: our one act {ms(act.get('p50_ms'))} (first in a fresh process {ms(act.get('first_ms'))}) vs. "
      f"the same act text as an ODT converted by `libreoffice --headless --convert-to pdf` {ms(lo_ms)} "
      f"(median of {len(lo)} fresh conversions, peak memory {mb(max(r['peak_rss_kb'] for r in lo))}): "
      f"**{lo_ms / act['p50_ms']:.0f}×** faster, or **{lo_ms / act['first_ms']:.0f}×** counting our font loading.")
    p("  The ODT (`.ci/bench_fodt.py`) carries the act's text line by line in the same font, size, page and")
    p("  margins; LibreOffice's time includes its own start, as when a centre converts a document.")
if search:
    p(f"- **SME search**: the core's search {ms(search.get('p50_ms'))} median vs. a plain `LIKE` scan "
      f"{ms(search.get('like_p50_ms'))}: **{search['like_p50_ms'] / search['p50_ms']:.1f}×**. Per query:")
    p()
    p("  | query | core p50 | core p95 | LIKE p50 | LIKE p95 |")
    p("  |---|---|---|---|---|")
    for q in search.get("queries", []):
        p(f"  | «{q['query']}» | {ms(q['p50_ms'])} | {ms(q['p95_ms'])} | {ms(q['like_p50_ms'])} | {ms(q['like_p95_ms'])} |")
p()
if os.environ.get("BENCH_CRITERION", "1") == "1":
    p("## Criterion benches of the core (synthetic data, medians)")
else:
    p("## Criterion benches of the core (synthetic data, medians; from the previous full run — BENCH_CRITERION=0 in this one)")
p()
p("| bench | median |")
p("|---|---|")
extra = []
for b in ("sme_search", "cofinancing", "documents"):
    found, text = criterion(b)
    for label, value in found:
        p(f"| {b}: {label} | {ms(value)} |")
    for line in text.splitlines():
        if line.startswith(("worst per-keystroke", "first act in the process", "extract of", "filled ")):
            extra.append(f"- {b}: {line.strip()}")
p()
p("\n".join(extra))
p()
p("`sme_search` also prints p50/p95 per keystroke for 100 000 records against the `LIKE` scan it")
p("replaced: see `target/bench/criterion-sme_search.txt` of the run.")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_server_report import section  # noqa: E402

server = section(out)
if server:
    p()
    p("\n".join(server))
