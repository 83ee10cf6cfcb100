#!/usr/bin/env python3
"""The office mode's section of BENCHMARKS.md from target/bench/server.jsonl (.ci/bench_server.sh):
printed by .ci/bench_report.py at the end of the file, or alone (`python3 .ci/bench_server_report.py
target/bench`) to replace that section in an existing BENCHMARKS.md."""
import json
import os
import sys


def ms(v):
    if v is None:
        return "—"
    return f"{v:.1f} ms" if v < 100 else f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.0f} ms"


def mb(kb):
    return f"{kb / 1024:.0f} MB" if kb else "—"


def section(out):
    path = os.path.join(out, "server.jsonl")
    if not os.path.exists(path):
        return []
    by = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            by[r["name"]] = r
    lines = [
        "## Office mode: the same large data on a PostgreSQL server",
        "",
        "`.ci/bench_server.sh` (run by `make bench` after the file's scenarios) starts a throw-away",
        "PostgreSQL cluster on this machine (`.ci/pg.sh`, reached over its local socket), moves the large",
        "demo onto it with `cpe server import-local`, runs `VACUUM ANALYZE` (what autovacuum does within",
        "minutes of a bulk load) and runs the same scenarios through the head's own login.",
        "",
        "| scenario (server) | median | p95 | peak memory of the `cpe` process | target |",
        "|---|---|---|---|---|",
    ]
    imp = by.get("import_local")
    if imp:
        lines.append(f"| `cpe server import-local` of the large demo (one run) | {ms(imp.get('ms'))} | — | {mb(imp.get('peak_rss_kb'))} | time and memory reported |")
    s = by.get("search")
    if s:
        lines.append(f"| SME search, {s.get('smes')} records (all queries) | {ms(s.get('p50_ms'))} | {ms(s.get('p95_ms'))} | {mb(s.get('peak_rss_kb'))} | p95 < 10 ms |")
    c = by.get("cofinancing")
    if c:
        lines.append(f"| full cofinancing check, SME with the longest history ({c.get('sme_agreements')} agreements) | {ms(c.get('p50_ms'))} | {ms(c.get('p95_ms'))} | {mb(c.get('peak_rss_kb'))} | < 20 ms |")
        if c.get("after_change_p50_ms") is not None:
            lines.append(f"| the same, first check after any change (the year's budget usage read again) | {ms(c.get('after_change_p50_ms'))} | {ms(c.get('after_change_p95_ms'))} | same process | < 20 ms |")
    r = by.get("report_pdf")
    if r:
        lines.append(f"| yearly report PDF (whole `cpe report yearly` process, one run) | {ms(r.get('ms'))} | — | {mb(r.get('peak_rss_kb'))} | < 1 s |")
    m = by.get("report_pdf_medium")
    if m:
        lines.append(f"| yearly report PDF, medium demo (about the size the target names: 2 000 SMEs / 5 000 services in the year; one run) | {ms(m.get('ms'))} | — | {mb(m.get('peak_rss_kb'))} | < 1 s |")
    b = by.get("backup")
    if b:
        lines.append(f"| `cpe backup FILE`: the server's data as of one moment into a local file (one run) | {ms(b.get('ms'))} | — | {mb(b.get('peak_rss_kb'))} | — |")
    if s:
        lines += ["", "Search per query on the server (the plan is chosen per query: pg_trgm for rare words, an", "index-only walk in sort order for frequent ones):", "",
                  "| query | p50 | p95 | plain `LIKE` p50 |", "|---|---|---|---|"]
        for q in s.get("queries", []):
            lines.append(f"| «{q['query']}» | {ms(q['p50_ms'])} | {ms(q['p95_ms'])} | {ms(q['like_p50_ms'])} |")
    return lines


if __name__ == "__main__":
    print("\n".join(section(sys.argv[1])))
