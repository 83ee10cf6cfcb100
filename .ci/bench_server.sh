#!/usr/bin/env bash
# The office mode's benchmarks (issue 16), run by .ci/bench.sh after the file's or alone on its large
# demo (`.ci/bench_server.sh target/bench/large`): a throw-away PostgreSQL cluster (.ci/pg.sh), the
# large demo moved onto it with `cpe server import-local` (time and peak memory), then the same
# scenarios as on the file — SME search, the full cofinancing check, the yearly report — through the
# head's own login, and `cpe backup` of the server's data. One JSON line per scenario into
# target/bench/server.jsonl; .ci/bench_report.py renders them in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
LARGE=${1:?the large demo folder}
MEDIUM=${2:-}
OUT=target/bench
CPE=${CPE:-target/release/cpe}
RESULTS=$OUT/server.jsonl
TODAY=${BENCH_TODAY:-2026-11-20}
mkdir -p "$OUT"
: >"$RESULTS"
pgdir=$(mktemp -d)
trap '.ci/pg.sh stop "$pgdir"' EXIT
admin="$(.ci/pg.sh start "$pgdir")"
psql "$admin" -qc "CREATE DATABASE cpe_bench"
url="$admin dbname=cpe_bench"

record() { # record NAME -- command...  (as .ci/bench.sh: the command's last JSON line + peak memory)
  local name=$1; shift 2
  local log=$OUT/server-$name.time json rss
  echo "bench: server $name"
  json=$(/usr/bin/time -v -o "$log" "$@" | tail -n 1)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["name"]=sys.argv[2]; d["peak_rss_kb"]=int(sys.argv[3]); print(json.dumps(d, ensure_ascii=False))' \
    "$json" "$name" "$rss" >>"$RESULTS"
}
timed() { # timed COMMAND...: its wall time as JSON
  local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
  echo "{\"ms\": $(( (e - s) / 1000000 ))}"
}
export -f timed

record import_local -- bash -c "timed \"$CPE\" --data-dir \"$LARGE\" --database-url \"$url\" server import-local"
# What autovacuum does within minutes of a bulk load on a real server: statistics and the
# visibility map (the search's index-only scans read it).
psql "$url" -qc "VACUUM ANALYZE"
CPE_NEW_PASSWORD=bench-Head-2026 "$CPE" --database-url "$url" server passwd primerov >/dev/null
head="$url user=primerov password=bench-Head-2026"
record search -- "$CPE" --database-url "$head" bench search
record cofinancing -- "$CPE" --database-url "$head" bench cofinancing
YEAR=$(( ${TODAY:0:4} - 1 ))
record report_pdf -- bash -c "timed \"$CPE\" --database-url \"$head\" report yearly --year $YEAR --format pdf --out \"$OUT/server-report.pdf\""
rm -f "$OUT/server-copy.sqlite3"
record backup -- bash -c "timed \"$CPE\" --database-url \"$head\" backup \"$OUT/server-copy.sqlite3\""
rm -f "$OUT/server-copy.sqlite3"
# The yearly report at the size its target names: the medium demo (bench.sh) on its own database.
if [ -n "$MEDIUM" ]; then
  psql "$admin" -qc "CREATE DATABASE cpe_bench_medium"
  medium="$admin dbname=cpe_bench_medium"
  "$CPE" --data-dir "$MEDIUM" --database-url "$medium" server import-local >/dev/null
  psql "$medium" -qc "VACUUM ANALYZE"
  CPE_NEW_PASSWORD=bench-Head-2026 "$CPE" --database-url "$medium" server passwd primerov >/dev/null
  record report_pdf_medium -- bash -c "timed \"$CPE\" --database-url \"$medium user=primerov password=bench-Head-2026\" report yearly --year $YEAR --format pdf --out \"$OUT/server-report-medium.pdf\""
fi
echo "bench: server figures in $RESULTS"
