#!/usr/bin/env bash
# `make bench`: every benchmark of issue 8 in one run on this machine, then BENCHMARKS.md rewritten
# from that run's figures. Not part of `make test` (slow, and timings on a shared machine are no
# pass/fail). Each scenario is its own process under /usr/bin/time -v, so its peak memory is its own.
#
# Knobs (environment): BENCH_FNS_MB (size of the generated registry file, default 2048),
# BENCH_SEED (1), BENCH_TODAY (last day of the demo history, 2026-11-20), BENCH_REUSE_LARGE=1
# (keep target/bench/large and its generation figures from an earlier run instead of generating it
# again), BENCH_LO_RUNS (10), BENCH_START_RUNS (3), BENCH_SCALE (large; `small` checks the script
# itself in minutes), BENCH_CRITERION (1; 0 skips the criterion benches).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

OUT=target/bench
RESULTS=$OUT/results.jsonl
FNS_MB=${BENCH_FNS_MB:-2048}
SEED=${BENCH_SEED:-1}
TODAY=${BENCH_TODAY:-2026-11-20}
LO_RUNS=${BENCH_LO_RUNS:-10}
START_RUNS=${BENCH_START_RUNS:-3}
SCALE=${BENCH_SCALE:-large}
mkdir -p "$OUT"
: >"$RESULTS"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

need() { command -v "$1" >/dev/null || { echo "bench: installing $2"; $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$2" >/dev/null; }; }
need /usr/bin/time time
need pdftotext poppler-utils
need xvfb-run xvfb
need python3 python3

# One JSON object per line into $RESULTS: the command's own JSON line plus its peak memory.
record() { # record NAME -- command...
  local name=$1; shift 2
  local log=$OUT/$name.time json
  echo "bench: $name"
  json=$(/usr/bin/time -v -o "$log" "$@" | tail -n 1)
  local rss; rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["name"]=sys.argv[2]; d["peak_rss_kb"]=int(sys.argv[3]); print(json.dumps(d, ensure_ascii=False))' \
    "$json" "$name" "$rss" >>"$RESULTS"
}

echo "bench: building the release binaries (UI first: the app embeds ui/dist)"
(cd ui && npm run build >/dev/null)
cargo build --release -q -p cpe-cli -p cpe-app
CPE=target/release/cpe
APP=target/release/cpe-app
LARGE=$OUT/large
# The demo centre has staff accounts: everything after its making runs as its head (the demo's
# password).
export CPE_PASSWORD=demo-2026
AS=(--user primerov)

if [ "${BENCH_REUSE_LARGE:-0}" = 1 ] && [ -f "$LARGE/cpe.sqlite3" ] && [ -f "$OUT/demo_large.json" ]; then
  echo "bench: reusing $LARGE"
  # The generation figures of the run that made the data, marked as such.
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["reused"]=True; print(json.dumps(d, ensure_ascii=False))' \
    "$OUT/demo_large.json" >>"$RESULTS"
else
  rm -rf "$LARGE" "$OUT/demo_large.json"
  record demo_large -- "$CPE" --data-dir "$LARGE" demo --scale "$SCALE" --seed "$SEED" --today "$TODAY" --json
  tail -n 1 "$RESULTS" | python3 -c 'import json,sys,datetime; d=json.load(sys.stdin); d["scale"]=sys.argv[1]; d["date"]=datetime.date.today().isoformat(); print(json.dumps(d, ensure_ascii=False))' \
    "$SCALE" >"$OUT/demo_large.json"
  sed -i '$d' "$RESULTS" && cat "$OUT/demo_large.json" >>"$RESULTS"
fi
if [ "${BENCH_REUSE_LARGE:-0}" = 1 ] && [ -f "$OUT/verify_large.json" ]; then
  # The same data was re-checked by the run that made it (about 10 minutes at large scale).
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["reused"]=True; print(json.dumps(d))' \
    "$OUT/verify_large.json" >>"$RESULTS"
else
  record verify_large -- bash -c "\"$CPE\" --data-dir \"$LARGE\" --user primerov demo --verify-only >/dev/null && echo '{\"violations\": 0}'"
  tail -n 1 "$RESULTS" >"$OUT/verify_large.json"
fi

# The medium demo: the yearly report at the size its target names (below).
MEDIUM=$OUT/medium
if [ "${BENCH_REUSE_LARGE:-0}" != 1 ] || [ ! -f "$MEDIUM/cpe.sqlite3" ]; then
  rm -rf "$MEDIUM"
  "$CPE" --data-dir "$MEDIUM" demo --scale medium --seed "$SEED" --today "$TODAY" >/dev/null 2>&1
fi

record search -- "$CPE" --data-dir "$LARGE" "${AS[@]}" bench search
record cofinancing -- "$CPE" --data-dir "$LARGE" "${AS[@]}" bench cofinancing
record act -- "$CPE" --data-dir "$LARGE" "${AS[@]}" bench act
record acts_1000 -- "$CPE" --data-dir "$LARGE" "${AS[@]}" bench acts --count 1000
rm -rf "$OUT/fns"
record fns_import -- "$CPE" --data-dir "$OUT/fns" bench fns-import --size-mb "$FNS_MB" --work-dir "$OUT"
rm -rf "$OUT/fns"

# The yearly report (PDF and XLSX) of the last full year on the large data, as `cpe` makes it:
# the whole process (open, read, lay out, write), so the figure is what a user waits for.
YEAR=$(( ${TODAY:0:4} - 1 ))
for fmt in pdf xlsx; do
  record "report_$fmt" -- bash -c "s=\$(date +%s%N); \"$CPE\" --data-dir \"$LARGE\" --user primerov report yearly --year $YEAR --format $fmt --out \"$OUT/report.$fmt\" >/dev/null; e=\$(date +%s%N); echo \"{\\\"ms\\\": \$(( (e - s) / 1000000 )), \\\"year\\\": $YEAR}\""
done

# The same report at the size the target names (about 2 000 businesses served and 5 000 services
# in the year): the medium demo, 2 300 businesses over 2 years (about 3 minutes to make); the
# year's counts from the report itself are added to its line.
record report_pdf_medium -- bash -c "s=\$(date +%s%N); \"$CPE\" --data-dir \"$MEDIUM\" --user primerov report yearly --year $YEAR --format pdf --out \"$OUT/report-medium.pdf\" >/dev/null; e=\$(date +%s%N); echo \"{\\\"ms\\\": \$(( (e - s) / 1000000 )), \\\"year\\\": $YEAR}\""
"$CPE" --data-dir "$MEDIUM" --user primerov report yearly --year "$YEAR" --json >"$OUT/report-medium.json"
python3 - "$RESULTS" "$OUT/report-medium.json" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
last = json.loads(lines[-1])
total = json.load(open(sys.argv[2], encoding="utf-8"))["total"]
last.update(smes=total["smes"], services=total["services"])
lines[-1] = json.dumps(last, ensure_ascii=False)
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY

# The office mode: the same data on a throw-away PostgreSQL server.
.ci/bench_server.sh "$LARGE" "$MEDIUM"

# App start to first screen with the large data: the app prints the time when the UI shows its
# first screen — the login, as the demo centre has accounts (the home screen or the registry's first
# rows where nobody has one). Real release binary under Xvfb, each start its own process.
for run in $(seq 1 "$START_RUNS"); do
  log=$OUT/app-start-$run.log
  xvfb-run -a -s "-screen 0 1280x800x24" /usr/bin/time -v -o "$OUT/app-start-$run.time" \
    "$APP" --data-dir "$LARGE" >"$log" 2>&1 &
  runner=$!
  ms=""
  for _ in $(seq 1 600); do
    ms=$(sed -n 's/.*first screen \([0-9]*\) ms after start.*/\1/p' "$log" | head -n 1)
    [ -n "$ms" ] && break
    sleep 0.2
  done
  sleep 1 # the memory of the first screen settled
  app_pid=$(pgrep -n -f "^$APP --data-dir $LARGE" || true)
  [ -n "$app_pid" ] && kill -TERM "$app_pid"
  wait "$runner" || true
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/app-start-$run.time" 2>/dev/null || echo 0)
  echo "{\"name\": \"app_start\", \"run\": $run, \"ms\": ${ms:-null}, \"peak_rss_kb\": ${rss:-0}}" >>"$RESULTS"
done

# Peer comparison: the same act as a flat ODT converted by LibreOffice, each conversion a fresh
# `soffice` process as a centre would run it.
need soffice libreoffice-writer-nogui
ACT_PDF=$OUT/act.pdf
"$CPE" --data-dir "$LARGE" "${AS[@]}" pdf act 1 --out "$ACT_PDF" >/dev/null
pdftotext -layout "$ACT_PDF" "$OUT/act.txt"
python3 .ci/bench_fodt.py "$OUT/act.txt" "$OUT/act.fodt"
LO_PROFILE=$OUT/lo-profile
rm -rf "$LO_PROFILE" "$OUT/lo"
mkdir -p "$OUT/lo"
for run in $(seq 0 "$LO_RUNS"); do
  # Run 0 creates the LibreOffice user profile and is not counted.
  s=$(date +%s%N)
  /usr/bin/time -v -o "$OUT/lo.time" soffice -env:UserInstallation="file://$PWD/$LO_PROFILE" --headless \
    --convert-to pdf --outdir "$OUT/lo" "$OUT/act.fodt" >/dev/null 2>&1
  e=$(date +%s%N)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/lo.time")
  [ "$run" -gt 0 ] && echo "{\"name\": \"libreoffice_act\", \"run\": $run, \"ms\": $(( (e - s) / 1000000 )), \"peak_rss_kb\": $rss}" >>"$RESULTS"
done
test -s "$OUT/lo/act.pdf"

# Criterion benchmarks of the core (synthetic data): their medians.
if [ "${BENCH_CRITERION:-1}" = 1 ]; then
  for b in sme_search cofinancing documents; do
    echo "bench: criterion $b"
    cargo bench -q -p cpe-core --bench "$b" 2>/dev/null | tee "$OUT/criterion-$b.txt" >/dev/null
  done
fi
python3 .ci/bench_report.py "$OUT" >BENCHMARKS.md
echo "bench: BENCHMARKS.md written"
