#!/usr/bin/env bash
# CryptoCache benchmark and fault harness: one run, figures side by side with the ceilings measured in the same run.
#
#   bash bench/run.sh            full run (about 8-10 minutes after the build)
#   bash bench/run.sh --quick    short run (about 2 minutes after the build): fewer and shorter rounds, indicative only
#   options: --only hit,herd,miss,economy,faults   run some scenarios only
#            --no-build                            use the Release binaries already built
#            --rounds N  --seconds S               hit-path rounds and seconds per wrk run
#            --baseline REF                        also measure the API built from git REF on the hit path
#                                                  (e.g. --baseline main: before/after in the same run)
#
# Installs or checks its tools (redis-server, wrk, curl), builds Release, starts the fake CoinGecko, a private
# redis-server, API replicas and the ceiling app on free loopback ports chosen now, runs the scenarios, stops
# everything it started (trap on EXIT) and writes bench/results/<date>.md and bench/results/latest.md.
# Raw outputs (wrk, load tool, timelines, service logs) go to bench/results/raw/<date>/ (not committed).
# All traffic stays on 127.0.0.1; every load is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

# ---------------------------------------------------------------------------------------------------- options
QUICK=0; BUILD=1; ONLY="hit,herd,miss,economy,faults"; ROUNDS=""; SECONDS_PER_RUN=""; BASELINE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --only) ONLY="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --seconds) SECONDS_PER_RUN="$2"; shift ;;
    --baseline) BASELINE="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

if [ "$QUICK" -eq 1 ]; then
  ROUNDS=${ROUNDS:-3}; SECONDS_PER_RUN=${SECONDS_PER_RUN:-2}; WARMUP=3
  HERD_ROUNDS=3; MISS_ROUNDS=3; ECONOMY_SECONDS=30; ECONOMY_DEFAULT_TTL=0
  OUTAGE_SECONDS=10; REDIS_DOWN_SECONDS=5; AFTER_SECONDS=10
else
  ROUNDS=${ROUNDS:-3}; SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}; WARMUP=8
  HERD_ROUNDS=5; MISS_ROUNDS=3; ECONOMY_SECONDS=60; ECONOMY_DEFAULT_TTL=1
  OUTAGE_SECONDS=30; REDIS_DOWN_SECONDS=10; AFTER_SECONDS=20
fi
REPLICAS=3
SUMMARY=()
PROVIDER_LATENCY_MS=50
HOT_PAIRS=200
LOAD_CONCURRENCY=32
SHORT_TTL=10
BUDGET_DEFAULT=30

STAMP="$(date -u +%Y-%m-%dT%H-%M-%SZ)"
RESULTS="$ROOT/bench/results"
RAW="$RESULTS/raw/$STAMP"
mkdir -p "$RAW"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$RAW/run.log" >&2; }

# ---------------------------------------------------------------------------------------------------- tools
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null 2>&1 || { echo "the .NET 10 SDK is needed (dotnet not found)" >&2; exit 1; }

API_DLL="$ROOT/CryptoCache.Api/bin/Release/net10.0/CryptoCache.Api.dll"
FAKE_DLL="$ROOT/CryptoCache.FakeCoinGecko/bin/Release/net10.0/CryptoCache.FakeCoinGecko.dll"
CEILING_DLL="$ROOT/bench/CryptoCache.Bench.Ceiling/bin/Release/net10.0/CryptoCache.Bench.Ceiling.dll"
LOAD_DLL="$ROOT/bench/CryptoCache.Bench.Load/bin/Release/net10.0/CryptoCache.Bench.Load.dll"
if [ "$BUILD" -eq 1 ]; then
  for project in CryptoCache.Api CryptoCache.FakeCoinGecko bench/CryptoCache.Bench.Ceiling bench/CryptoCache.Bench.Load; do
    log "building $project (Release)"
    dotnet build "$ROOT/$project" -c Release -nologo -v q >"$RAW/build-$(basename "$project").log" 2>&1 \
      || { cat "$RAW/build-$(basename "$project").log" >&2; exit 1; }
  done
fi
BASELINE_DLL=""
if [ -n "$BASELINE" ] && wants hit; then
  BASELINE_SRC="$RAW/baseline-src"; mkdir -p "$BASELINE_SRC"
  log "building the API at $BASELINE ($(git -C "$ROOT" rev-parse --short "$BASELINE")) for comparison"
  git -C "$ROOT" archive "$BASELINE" | tar -x -C "$BASELINE_SRC"
  dotnet build "$BASELINE_SRC/CryptoCache.Api" -c Release -nologo -v q >"$RAW/build-baseline.log" 2>&1 \
    || { cat "$RAW/build-baseline.log" >&2; exit 1; }
  BASELINE_DLL="$BASELINE_SRC/CryptoCache.Api/bin/Release/net10.0/CryptoCache.Api.dll"
fi
for dll in "$API_DLL" "$FAKE_DLL" "$CEILING_DLL" "$LOAD_DLL"; do
  [ -f "$dll" ] || { echo "missing $dll: run without --no-build" >&2; exit 1; }
done

# ---------------------------------------------------------------------------------------------------- processes
PIDS=()
REDIS_DIR="$RAW/redis"; mkdir -p "$REDIS_DIR"
REDIS_PORT=""
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    { kill -9 "$pid"; wait "$pid"; } 2>/dev/null || true
  done
  if [ -n "$REDIS_PORT" ]; then redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  if [ -f "$REDIS_DIR/redis.pid" ]; then kill -9 "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

USED_PORTS=" "
# Listening ports are taken below the kernel's ephemeral range: a port inside it can be taken at any moment as the
# local end of one of the many outgoing connections a load test opens.
EPHEMERAL_LOW=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
PORT_LOW=10000; PORT_SPAN=$(( EPHEMERAL_LOW - PORT_LOW ))
[ "$PORT_SPAN" -ge 1000 ] || { PORT_LOW=20000; PORT_SPAN=10000; }
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( PORT_LOW + RANDOM % PORT_SPAN ))
    [[ "$USED_PORTS" == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then USED_PORTS+="$port "; echo "$port"; return 0; fi
  done
  echo "no free port found" >&2; return 1
}

wait_http() { # url, seconds
  local deadline=$(( $(date +%s) + $2 ))
  until curl -sf -o /dev/null --max-time 2 "$1"; do
    [ "$(date +%s)" -ge "$deadline" ] && { echo "timed out waiting for $1" >&2; return 1; }
    sleep 0.2
  done
}

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$REDIS_DIR" \
    --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" >/dev/null
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis-server did not start" >&2; return 1
}

FAKE_PORT=$(free_port); FAKE="http://127.0.0.1:$FAKE_PORT"
log "fake CoinGecko on $FAKE_PORT"
dotnet "$FAKE_DLL" "$FAKE_PORT" >"$RAW/fake.log" 2>&1 & PIDS+=($!)
wait_http "$FAKE/api/v3/ping" 30
fake() { curl -sf -X POST "$FAKE/__fake/$1" >/dev/null; }
price_calls() { curl -sf "$FAKE/__fake/stats" | grep -o '"priceCalls":[0-9]*' | cut -d: -f2; }

REDIS_PORT=$(free_port)
log "redis-server on $REDIS_PORT"
start_redis

CEILING_PORT=$(free_port); CEILING="http://127.0.0.1:$CEILING_PORT"
log "ceiling app on $CEILING_PORT"
ASPNETCORE_ENVIRONMENT=Production dotnet "$CEILING_DLL" --urls "$CEILING" >"$RAW/ceiling.log" 2>&1 & PIDS+=($!)
CEILING_PID=$!
wait_http "$CEILING/health" 30

API_PORTS=(); API_MGMT=(); API_PIDS=(); API_SET=""
# Starts $REPLICAS replicas on a fresh Redis keyspace with extra "KEY=VALUE" settings; stops the previous set.
start_replicas() {
  local name="$1"; shift
  stop_replicas
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  fake reset
  API_PORTS=(); API_MGMT=(); API_PIDS=(); API_SET="$name"
  local i port mgmt attempt
  for i in $(seq 1 "$REPLICAS"); do
    # A port found free can still be taken before the replica binds it: then it exits, and starts again elsewhere.
    for attempt in 1 2 3; do
      port=$(free_port); mgmt=$(free_port)
      env -u REDIS_URL -u CACHE_TTL_SECONDS -u DEFAULT_COIN -u DEFAULT_CURRENCY ASPNETCORE_ENVIRONMENT=Production \
        Redis__ConnectionString="redis://127.0.0.1:$REDIS_PORT" CoinGecko__BaseUrl="$FAKE/api/v3/" Management__Port="$mgmt" "$@" \
        dotnet "$API_DLL" --urls "http://127.0.0.1:$port" >"$RAW/api-$name-$i.log" 2>&1 &
      local pid=$!
      PIDS+=("$pid")
      if wait_api "$pid" "http://127.0.0.1:$port" "http://127.0.0.1:$mgmt"; then break; fi
      log "replica $i of '$name' did not come up on $port/$mgmt (attempt $attempt); see $RAW/api-$name-$i.log"
      { kill -9 "$pid"; wait "$pid"; } 2>/dev/null || true
      [ "$attempt" -eq 3 ] && { echo "replica $i of '$name' failed to start" >&2; return 1; }
    done
    API_PIDS+=("$pid"); API_PORTS+=("$port"); API_MGMT+=("$mgmt")
  done
  log "replica set '$name': ports ${API_PORTS[*]} ($*)"
}
stop_replicas() {
  local pid
  for pid in "${API_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${API_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    { kill -9 "$pid"; wait "$pid"; } 2>/dev/null || true
  done
  API_PIDS=()
}
wait_api() { # pid public-url management-url: true once both answer, false as soon as the process has exited
  local deadline=$(( $(date +%s) + 60 ))
  while kill -0 "$1" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
    curl -sf -o /dev/null --max-time 2 "$2/health" && curl -sf -o /dev/null --max-time 2 "$3/health" && return 0
    sleep 0.2
  done
  return 1
}
api_url() { echo "http://127.0.0.1:${API_PORTS[$1]}"; }
all_api_urls() { local i u=(); for i in $(seq 0 $((REPLICAS - 1))); do u+=("$(api_url "$i")"); done; (IFS=,; echo "${u[*]}"); }

# ---------------------------------------------------------------------------------------------------- measuring
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
CLK_TCK=$(getconf CLK_TCK)
load_tool() { dotnet "$LOAD_DLL" "$@"; }
val() { grep -m1 "^$1=" "$2" | cut -d= -f2-; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v * 0.001; else if (v ~ /ms$/) printf "%.2f", v + 0; else if (v ~ /s$/) printf "%.2f", v * 1000; else print "n/a" }'; }
now_ms() { date +%s%3N; }
hits_of() { curl -sf "http://127.0.0.1:$1/admin/cache/stats" | grep -o '"hits":[0-9]*' | cut -d: -f2; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**not met**"; fi; }
uptime_line() { uptime | sed 's/^ *//'; }

LOAD_BEFORE="$(uptime_line)"
REPORT="$RAW/report.md"
: >"$REPORT"
section() { printf '\n### %s\n\n' "$1" >>"$REPORT"; }
row() { echo "$*" >>"$REPORT"; }

# ---------------------------------------------------------------------------------------------------- 1. hit path
HIT_TSV="$RAW/hit.tsv"
run_wrk() { # name pid url conns seconds -> appends to HIT_TSV
  local name="$1" pid="$2" url="$3" conns="$4" secs="$5" round="$6" port="${7:-}"
  local out="$RAW/wrk-$name-c$conns-r$round.txt" t0 t1 hits0="" hits1="" requests
  [ -n "$port" ] && hits0=$(hits_of "$port")
  t0=$(cpu_ticks "$pid")
  wrk -t1 -c"$conns" -d"${secs}s" --timeout 5s --latency "$url" >"$out" 2>&1
  t1=$(cpu_ticks "$pid")
  [ -n "$port" ] && hits1=$(hits_of "$port")
  requests=$(awk '/requests in/ {print $1}' "$out")
  local rps p50 p99 errors non2xx cpu
  rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out"); errors=${errors:-0}
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out"); non2xx=${non2xx:-0}
  cpu=$(awk -v d=$((t1 - t0)) -v n="$requests" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", d * 1e6 / hz / n }')
  local through="n/a"
  [ -n "$port" ] && through=$((hits1 - hits0))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$conns" "$name" "$rps" "$p50" "$p99" "$cpu" "$(rss_mib "$pid")" "$requests" "$((errors + non2xx))" "$through" >>"$HIT_TSV"
}

if wants hit; then
  start_replicas hit Provider__MaxCallsPerMinute=600
  API1_PID=${API_PIDS[0]}; API1="$(api_url 0)"; API1_MGMT=${API_MGMT[0]}
  PRICE_PATH="/price?coin=bitcoin&currency=usd"
  curl -sf "$API1$PRICE_PATH" >/dev/null
  declare -A TARGET_URL=([ceiling]="$CEILING$PRICE_PATH" [minimal]="$CEILING/minimal" [api]="$API1$PRICE_PATH")
  declare -A TARGET_PID=([ceiling]="$CEILING_PID" [minimal]="$CEILING_PID" [api]="$API1_PID")
  declare -A TARGET_MGMT=([api]="$API1_MGMT")
  TARGETS="ceiling minimal api"
  if [ -n "$BASELINE_DLL" ]; then
    # One more replica, built from the baseline ref, on the same Redis and provider (its own management port).
    port=$(free_port); mgmt=$(free_port)
    env -u REDIS_URL -u CACHE_TTL_SECONDS -u DEFAULT_COIN -u DEFAULT_CURRENCY ASPNETCORE_ENVIRONMENT=Production \
      Redis__ConnectionString="redis://127.0.0.1:$REDIS_PORT" CoinGecko__BaseUrl="$FAKE/api/v3/" Management__Port="$mgmt" Provider__MaxCallsPerMinute=600 \
      dotnet "$BASELINE_DLL" --urls "http://127.0.0.1:$port" >"$RAW/api-baseline.log" 2>&1 &
    PIDS+=($!); BASE_PID=$!
    wait_http "http://127.0.0.1:$port/health" 60
    curl -sf "http://127.0.0.1:$port$PRICE_PATH" >/dev/null
    TARGET_URL[baseline]="http://127.0.0.1:$port$PRICE_PATH"; TARGET_PID[baseline]=$BASE_PID; TARGET_MGMT[baseline]=$mgmt
    TARGETS="ceiling minimal api baseline"
  fi
  log "hit path: warming up ($WARMUP s each)"
  for t in $TARGETS; do wrk -t1 -c64 -d"${WARMUP}s" "${TARGET_URL[$t]}" >/dev/null 2>&1; done
  printf 'round\tconns\ttarget\trps\tp50_ms\tp99_ms\tcpu_us_per_req\trss_mib\trequests\terrors\tpath_hits\n' >"$HIT_TSV"
  for r in $(seq 1 "$ROUNDS"); do
    # A different order each round, so that no target always runs first or last.
    read -r -a order <<<"$TARGETS"
    shift_by=$(( (r - 1) % ${#order[@]} ))
    order=("${order[@]:$shift_by}" "${order[@]:0:$shift_by}")
    for c in 64 256; do
      for t in "${order[@]}"; do
        log "hit path: round $r, c$c, $t"
        run_wrk "$t" "${TARGET_PID[$t]}" "${TARGET_URL[$t]}" "$c" "$SECONDS_PER_RUN" "$r" "${TARGET_MGMT[$t]:-}"
      done
    done
  done

  section "1. Hit path (\`GET /price?coin=bitcoin&currency=usd\`, one replica, wrk -t1, ${ROUNDS} interleaved rounds of ${SECONDS_PER_RUN} s, medians)"
  row "| conns | target | req/s | × MVC ceiling | p50 ms | p99 ms | CPU µs/req | RSS MiB | errors |"
  row "|---|---|---|---|---|---|---|---|---|"
  for c in 64 256; do
    for t in $TARGETS; do
      m() { awk -F'\t' -v c="$c" -v t="$t" -v k="$1" 'NR > 1 && $2 == c && $3 == t {print $k}' "$HIT_TSV" | median; }
      ratio=$(awk -F'\t' -v c="$c" -v t="$t" 'NR > 1 && $2 == c && $3 == "ceiling" {base[$1] = $4} NR > 1 && $2 == c && $3 == t {v[$1] = $4}
        END {for (r in v) if (base[r] > 0) printf "%.3f\n", v[r] / base[r]}' "$HIT_TSV" | median)
      errs=$(awk -F'\t' -v c="$c" -v t="$t" 'NR > 1 && $2 == c && $3 == t {s += $10} END {print s + 0}' "$HIT_TSV")
      rss_max=$(awk -F'\t' -v c="$c" -v t="$t" 'NR > 1 && $2 == c && $3 == t && $8 > m {m = $8} END {print m + 0}' "$HIT_TSV")
      row "| $c | $t | $(m 4 | awk '{printf "%.0f", $1}') | $ratio | $(m 5) | $(m 6) | $(m 7) | $rss_max | $errs |"
      if [ "$t" = api ]; then
        eval "API_RATIO_$c=$ratio; API_P99_$c=$(m 6); API_RSS_$c=$rss_max; API_ERR_$c=$errs"
      fi
    done
  done
  [ -n "$BASELINE_DLL" ] && row "" && row "baseline: the API built from \`$BASELINE\` ($(git -C "$ROOT" rev-parse --short "$BASELINE")), measured in the same rounds."
  PATH_CHECK=$(awk -F'\t' 'NR > 1 && $3 == "api" {req += $9; hits += $11} END {printf "%d of %d", hits, req}' "$HIT_TSV")
  row ""
  row "Ratios are medians of the per-round ratios to the MVC ceiling of the same round and concurrency. RSS is the highest"
  row "after any round. CPU is the server process's utime+stime over the run divided by the requests served."
  row "Real path: the API's own hit counter (\`/admin/cache/stats\`, incremented by the resolver behind MediatR, validation"
  row "and FusionCache) rose by $PATH_CHECK wrk requests."
  SUMMARY+=("| 1 | hit path c64: req/s vs MVC ceiling | ≥ 0.85× | ${API_RATIO_64}× | $(verdict "${API_RATIO_64} >= 0.85") |")
  SUMMARY+=("| 1 | hit path c256: req/s vs MVC ceiling | ≥ 0.85× | ${API_RATIO_256}× | $(verdict "${API_RATIO_256} >= 0.85") |")
  SUMMARY+=("| 1 | hit path p99 at c64 | ≤ 5 ms | ${API_P99_64} ms | $(verdict "${API_P99_64} <= 5") |")
  RSS_MAX=$(( API_RSS_64 > API_RSS_256 ? API_RSS_64 : API_RSS_256 ))
  SUMMARY+=("| 1 | RSS per replica (highest, c64 and c256) | ≤ 150 MiB | ${RSS_MAX} MiB | $(verdict "$RSS_MAX <= 150") |")
  SUMMARY+=("| 1 | failed or non-2xx hit-path requests | 0 | $((API_ERR_64 + API_ERR_256)) | $(verdict "$((API_ERR_64 + API_ERR_256)) == 0") |")
fi

# ---------------------------------------------------------------------------------------------------- 2-3. herd and misses
if wants herd || wants miss; then
  [ "$API_SET" = hit ] || start_replicas hit Provider__MaxCallsPerMinute=600
  # Validation's currency list cached on every replica first, so that only the price calls under test are counted.
  for i in $(seq 0 $((REPLICAS - 1))); do curl -sf "$(api_url "$i")/price?coin=bitcoin&currency=usd" >/dev/null; done
  fake "mode?mode=Normal&latencyMs=$PROVIDER_LATENCY_MS"
fi

if wants herd; then
  HERD_TSV="$RAW/herd.tsv"; printf 'round\tprovider_calls\tfirst_ms\tp50_ms\tlast_ms\tfailed\tconnections\n' >"$HERD_TSV"
  for r in $(seq 1 "$HERD_ROUNDS"); do
    coin="coin-$(( 900000 + RANDOM * 10 + r ))"
    before=$(price_calls)
    load_tool herd --urls "$(all_api_urls)" --path "/price?coin=$coin&currency=usd" --count 300 >"$RAW/herd-$r.txt"
    sleep 0.5
    calls=$(( $(price_calls) - before ))
    f="$RAW/herd-$r.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$calls" "$(val first_ms "$f")" "$(val p50_ms "$f")" "$(val last_ms "$f")" "$(val failed "$f")" "$(val connections "$f")" >>"$HERD_TSV"
    log "herd round $r: $calls provider calls, last waiter $(val last_ms "$f") ms, failed $(val failed "$f")"
  done
  section "2. Herd (300 concurrent requests for one uncached pair, spread over $REPLICAS replicas, provider latency $PROVIDER_LATENCY_MS ms, $HERD_ROUNDS rounds)"
  row "| round | provider calls | first answer ms | median ms | last waiter ms | failed | connections pre-opened |"
  row "|---|---|---|---|---|---|---|"
  awk -F'\t' 'NR > 1 {printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$HERD_TSV" >>"$REPORT"
  HERD_CALLS_MAX=$(awk -F'\t' 'NR > 1 && $2 > m {m = $2} END {print m + 0}' "$HERD_TSV")
  HERD_LAST=$(awk -F'\t' 'NR > 1 {print $5}' "$HERD_TSV" | median)
  HERD_FAILED=$(awk -F'\t' 'NR > 1 {s += $6} END {print s + 0}' "$HERD_TSV")
  row ""
  row "Times are from the moment the first request was sent (all 300 released together over connections opened beforehand)."
  SUMMARY+=("| 2 | herd: provider calls per herd (worst round) | 1 | $HERD_CALLS_MAX | $(verdict "$HERD_CALLS_MAX == 1") |")
  SUMMARY+=("| 2 | herd: last waiter answered (median of rounds) | ≤ $((PROVIDER_LATENCY_MS + 50)) ms | $HERD_LAST ms | $(verdict "$HERD_LAST <= $((PROVIDER_LATENCY_MS + 50))") |")
  SUMMARY+=("| 2 | herd: failed requests | 0 | $HERD_FAILED | $(verdict "$HERD_FAILED == 0") |")
fi

if wants miss; then
  MISS_TSV="$RAW/miss.tsv"; printf 'round\tprovider_calls\twall_ms\tp50_ms\tp99_ms\tfailed\n' >"$MISS_TSV"
  for r in $(seq 1 "$MISS_ROUNDS"); do
    before=$(price_calls)
    load_tool miss --url "$(api_url 0)" --count 1000 --concurrency 64 --coin-base $(( 1000000 + r * 10000 )) >"$RAW/miss-$r.txt"
    sleep 0.5
    calls=$(( $(price_calls) - before ))
    f="$RAW/miss-$r.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$calls" "$(val wall_ms "$f")" "$(val p50_ms "$f")" "$(val p99_ms "$f")" "$(val failed "$f")" >>"$MISS_TSV"
    log "miss round $r: $calls provider calls, wall $(val wall_ms "$f") ms, failed $(val failed "$f")"
  done
  section "3. Miss path (1000 distinct pairs asked once each, 64 in flight, one replica, provider latency $PROVIDER_LATENCY_MS ms, $MISS_ROUNDS rounds)"
  row "| round | provider calls | wall ms | p50 ms | p99 ms | failed |"
  row "|---|---|---|---|---|---|"
  awk -F'\t' 'NR > 1 {printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}' "$MISS_TSV" >>"$REPORT"
  MISS_WALL=$(awk -F'\t' 'NR > 1 {print $3}' "$MISS_TSV" | median)
  MISS_CALLS=$(awk -F'\t' 'NR > 1 && $2 > m {m = $2} END {print m + 0}' "$MISS_TSV")
  MISS_FAILED=$(awk -F'\t' 'NR > 1 {s += $6} END {print s + 0}' "$MISS_TSV")
  row ""
  row "Lower bound for any service that waits for the provider: 1000 × $PROVIDER_LATENCY_MS ms / 64 in flight = $(( 1000 * PROVIDER_LATENCY_MS / 64 )) ms."
  SUMMARY+=("| 3 | miss path: wall time (median) | < 800 ms | $MISS_WALL ms | $(verdict "$MISS_WALL < 800") |")
  SUMMARY+=("| 3 | miss path: provider calls (worst round) | ≤ 50 | $MISS_CALLS | $(verdict "$MISS_CALLS <= 50") |")
  SUMMARY+=("| 3 | miss path: failed requests | 0 | $MISS_FAILED | $(verdict "$MISS_FAILED == 0") |")
fi
fake "mode?mode=Normal&latencyMs=0"

# ---------------------------------------------------------------------------------------------------- 4. economy
economy() { # label ttl_seconds
  local label="$1" ttl="$2" f="$RAW/economy-$1.txt"
  local settings=(Provider__MaxCallsPerMinute=$BUDGET_DEFAULT)
  [ "$ttl" != default ] && settings+=(Cache__TtlSeconds="$ttl")
  start_replicas "economy-$label" "${settings[@]}"
  for i in $(seq 0 $((REPLICAS - 1))); do curl -sf "$(api_url "$i")/currencies" >/dev/null; done
  local before; before=$(price_calls)
  log "economy ($label): ${ECONOMY_SECONDS} s over $HOT_PAIRS pairs, cold start"
  load_tool load --urls "$(all_api_urls)" --pairs "$HOT_PAIRS" --coin-base 500000 --duration "$ECONOMY_SECONDS" \
    --concurrency "$LOAD_CONCURRENCY" --timeline "$RAW/economy-$label-timeline.csv" >"$f"
  local calls=$(( $(price_calls) - before ))
  # The budget is a sliding 60 s window: a run of at most a minute must stay within one budget; a longer one is scaled.
  local secs; secs=$(val total.seconds "$f")
  local per_min; per_min=$(awk -v c="$calls" -v s="$secs" 'BEGIN {printf "%.1f", s <= 61 ? c : c * 60 / s}')
  row "| $label | $secs | $calls | $per_min | $BUDGET_DEFAULT | $(val total.requests "$f") | $(val total.fresh_share "$f") | $(val total.stale "$f") | $(val total.failed "$f") | $(val total.statuses "$f") | $(val total.p99_ms "$f") |"
  SUMMARY+=("| 4 | economy ($label TTL): provider calls in the minute$([ "$ECONOMY_SECONDS" -lt 60 ] && echo " (run of $ECONOMY_SECONDS s)") | ≤ $BUDGET_DEFAULT | $per_min | $(verdict "$per_min <= $BUDGET_DEFAULT") |")
  SUMMARY+=("| 4 | economy ($label TTL): fresh share of answers | (reported) | $(val total.fresh_share "$f") | – |")
  SUMMARY+=("| 4 | economy ($label TTL): failed requests (503: pair never fetched, budget spent) | (reported) | $(val total.failed "$f") | – |")
}
if wants economy; then
  section "4. Provider economy ($HOT_PAIRS hot pairs over $REPLICAS replicas, $LOAD_CONCURRENCY connections closed loop, budget Provider__MaxCallsPerMinute=$BUDGET_DEFAULT, cold start)"
  row "| TTL | seconds | provider calls | calls in the minute | budget | answers | fresh share | stale | failed | statuses | p99 ms |"
  row "|---|---|---|---|---|---|---|---|---|---|---|"
  [ "$ECONOMY_DEFAULT_TTL" -eq 1 ] && economy default default
  economy "${SHORT_TTL}s" "$SHORT_TTL"
  row ""
  row "Cold start: no pair is cached when the load begins, so the first answers are misses that the budget must pay for."
  row "With the ${SHORT_TTL} s TTL every pair also expires several times a minute. Failed answers are 503s for pairs that the"
  row "budget left unfetched (nothing cached to serve); stale answers are fail-safe answers while the budget is spent."
fi

# ---------------------------------------------------------------------------------------------------- 5. faults
if wants faults; then
  # A fresh replica set whose pairs are all seen before: filled through /prices (100 coins per request, one provider
  # call each), so that every pair under fault has a price to fall back on.
  start_replicas faults Provider__MaxCallsPerMinute=$BUDGET_DEFAULT Cache__TtlSeconds=$SHORT_TTL
  for start in 0 100; do
    coins=$(seq -s, -f "coin-%.0f" $((500000 + start)) $((500000 + start + 99)))
    curl -sf "$(api_url 0)/prices?coins=$coins&currencies=usd" -o /dev/null
  done
  load_tool load --urls "$(all_api_urls)" --pairs "$HOT_PAIRS" --coin-base 500000 --duration 3 --concurrency "$LOAD_CONCURRENCY" >"$RAW/faults-warm.txt"
  log "faults: $HOT_PAIRS pairs filled; warm-up answers $(val total.statuses "$RAW/faults-warm.txt")"
  section "5. Faults under load ($HOT_PAIRS pairs seen before, $REPLICAS replicas, TTL ${SHORT_TTL} s so that prices expire during the fault, $LOAD_CONCURRENCY connections)"
  row "| fault | phase | seconds | answers | failed | stale | fresh share | p99 ms | max ms |"
  row "|---|---|---|---|---|---|---|---|---|"

  # Provider failing (HTTP 500 on every call) for OUTAGE_SECONDS.
  events="$RAW/faults-provider-events.txt"; : >"$events"
  duration=$(( 2 + OUTAGE_SECONDS + AFTER_SECONDS ))
  before=$(price_calls)
  log "fault: provider failing for $OUTAGE_SECONDS s under load"
  load_tool load --urls "$(all_api_urls)" --pairs "$HOT_PAIRS" --coin-base 500000 --duration "$duration" --concurrency "$LOAD_CONCURRENCY" \
    --events "$events" --timeline "$RAW/faults-provider-timeline.csv" >"$RAW/faults-provider.txt" &
  LOAD_PID=$!
  sleep 2; fake "mode?mode=ServerError"; echo "provider_down $(now_ms)" >>"$events"
  down_calls_before=$(price_calls)
  sleep "$OUTAGE_SECONDS"; fake "mode?mode=Normal"; echo "provider_up $(now_ms)" >>"$events"
  down_calls=$(( $(price_calls) - down_calls_before ))
  wait "$LOAD_PID"
  f="$RAW/faults-provider.txt"
  for phase in start provider_down provider_up; do
    row "| provider 500s | after $phase | $(val "after.$phase.seconds" "$f") | $(val "after.$phase.requests" "$f") | $(val "after.$phase.failed" "$f") | $(val "after.$phase.stale" "$f") | $(val "after.$phase.fresh_share" "$f") | $(val "after.$phase.p99_ms" "$f") | $(val "after.$phase.max_ms" "$f") |"
  done
  PROVIDER_FAILED=$(val total.failed "$f"); PROVIDER_RECOVERY=$(val recovery_ms.provider_up "$f")
  PROVIDER_STALE=$(val after.provider_down.stale "$f"); PROVIDER_DOWN_REQ=$(val after.provider_down.requests "$f")

  # Redis killed (SIGKILL) and restarted empty after REDIS_DOWN_SECONDS.
  events="$RAW/faults-redis-events.txt"; : >"$events"
  duration=$(( 2 + REDIS_DOWN_SECONDS + AFTER_SECONDS ))
  log "fault: redis killed for $REDIS_DOWN_SECONDS s under load"
  load_tool load --urls "$(all_api_urls)" --pairs "$HOT_PAIRS" --coin-base 500000 --duration "$duration" --concurrency "$LOAD_CONCURRENCY" \
    --events "$events" --timeline "$RAW/faults-redis-timeline.csv" >"$RAW/faults-redis.txt" &
  LOAD_PID=$!
  sleep 2; kill -9 "$(cat "$REDIS_DIR/redis.pid")"; echo "redis_down $(now_ms)" >>"$events"
  sleep "$REDIS_DOWN_SECONDS"; start_redis; up=$(now_ms); echo "redis_up $up" >>"$events"
  # Recovery as operators see it: every replica's readiness reports Redis healthy again (bounded wait).
  READY_MS="n/a"
  for _ in $(seq 1 300); do
    ok=0
    for i in $(seq 0 $((REPLICAS - 1))); do
      curl -sf --max-time 1 "http://127.0.0.1:${API_MGMT[$i]}/health/ready" | grep -q '"redis":{"status":"Healthy"' && ok=$((ok + 1))
    done
    if [ "$ok" -eq "$REPLICAS" ]; then READY_MS=$(( $(now_ms) - up )); break; fi
    sleep 0.1
  done
  keys_after=""
  wait "$LOAD_PID"
  keys_after=$(redis-cli -p "$REDIS_PORT" dbsize 2>/dev/null || echo "n/a")
  f="$RAW/faults-redis.txt"
  for phase in start redis_down redis_up; do
    row "| Redis killed | after $phase | $(val "after.$phase.seconds" "$f") | $(val "after.$phase.requests" "$f") | $(val "after.$phase.failed" "$f") | $(val "after.$phase.stale" "$f") | $(val "after.$phase.fresh_share" "$f") | $(val "after.$phase.p99_ms" "$f") | $(val "after.$phase.max_ms" "$f") |"
  done
  REDIS_FAILED=$(val total.failed "$f"); REDIS_RECOVERY=$(val recovery_ms.redis_up "$f")
  row ""
  row "Provider outage: $down_calls provider calls were attempted during the $OUTAGE_SECONDS s of failure (circuit breaker, fail-safe"
  row "throttle and budget keep it low). Recovery after the provider came back (last stale or failed answer): $PROVIDER_RECOVERY ms."
  row "Redis outage: every replica's readiness reported Redis healthy $READY_MS ms after the restart; last non-fresh answer"
  row "$REDIS_RECOVERY ms after it; keys in the restarted (empty) Redis at the end: $keys_after."
  row "Timelines per second: \`bench/results/raw/$STAMP/faults-*-timeline.csv\`."
  SUMMARY+=("| 5 | provider failing ${OUTAGE_SECONDS} s: failed requests | 0 | $PROVIDER_FAILED | $(verdict "$PROVIDER_FAILED == 0") |")
  SUMMARY+=("| 5 | provider failing: stale answers during the outage | (reported) | $PROVIDER_STALE of $PROVIDER_DOWN_REQ | – |")
  SUMMARY+=("| 5 | provider failing: recovery (last stale answer after it returned) | (reported) | $PROVIDER_RECOVERY ms | – |")
  SUMMARY+=("| 5 | Redis killed ${REDIS_DOWN_SECONDS} s: failed requests | 0 | $REDIS_FAILED | $(verdict "$REDIS_FAILED == 0") |")
  SUMMARY+=("| 5 | Redis killed: recovery (all replicas ready on Redis again) | (reported) | $READY_MS ms | – |")
fi

# ---------------------------------------------------------------------------------------------------- report
LOAD_AFTER="$(uptime_line)"
OUT="$RESULTS/$STAMP.md"
{
  echo "# CryptoCache benchmark, $STAMP"
  echo
  echo "Mode: $([ "$QUICK" -eq 1 ] && echo "quick (indicative only)" || echo full); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /'), $(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}'), $(redis-server --version | awk '{print $1, $3}')."
  echo "The load generator shares the cores with the servers: compare ratios measured in the same run, not absolute figures."
  echo "Load average before: \`$LOAD_BEFORE\`; after: \`$LOAD_AFTER\`."
  echo
  echo "## Goals"
  echo
  echo "| # | figure | goal | measured | verdict |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${SUMMARY[@]}"
  echo
  echo "## Details"
  cat "$REPORT"
} >"$OUT"
cp "$OUT" "$RESULTS/latest.md"
echo
cat "$OUT"
echo
log "written $OUT and $RESULTS/latest.md (raw: $RAW)"
