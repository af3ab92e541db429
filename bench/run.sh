#!/usr/bin/env bash
# CryptoCache benchmark and fault harness: one run, figures side by side with the ceilings measured in the same run.
#
#   bash bench/run.sh            full run (about 20 minutes after the build)
#   bash bench/run.sh --quick    short run (about 4 minutes after the build): fewer and shorter rounds, indicative only
#   options: --only hit,v3,herd,miss,economy,overload,faults,sentinel,fairness   run some scenarios only
#            --no-build                            use the Release binaries already built
#            --rounds N  --seconds S               hit-path rounds and seconds per wrk run (hit and v3)
#            --baseline REF                        also measure the API built from git REF on the hit path
#                                                  (e.g. --baseline main: before/after in the same run)
#
# Installs or checks its tools (redis-server, wrk, curl, gnuplot), builds Release, starts the fake CoinGecko, a private
# redis-server, API replicas and the ceiling app on free loopback ports chosen now, runs the scenarios, stops
# everything it started (trap on EXIT) and writes bench/results/<date>.md and bench/results/latest.md, with plots
# (bench/results/latest-*.png). Raw outputs (wrk, load tool, timelines, every answer of the economy and overload
# loads, provider call times, plots, service logs) go to bench/results/raw/<date>/ (not committed).
# All traffic stays on 127.0.0.1; every load is bounded in count and time. Goals not met are reported, not fatal:
# the script exits 0 once the report is written.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

# ---------------------------------------------------------------------------------------------------- options
QUICK=0; BUILD=1; ONLY="hit,v3,herd,miss,economy,overload,faults,sentinel,fairness"; ROUNDS=""; SECONDS_PER_RUN=""; BASELINE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --only) ONLY="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --seconds) SECONDS_PER_RUN="$2"; shift ;;
    --baseline) BASELINE="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }
for scenario in ${ONLY//,/ }; do
  [[ ",hit,v3,herd,miss,economy,overload,faults,sentinel,fairness," == *",$scenario,"* ]] || { echo "unknown scenario $scenario" >&2; exit 2; }
done

if [ "$QUICK" -eq 1 ]; then
  ROUNDS=${ROUNDS:-3}; SECONDS_PER_RUN=${SECONDS_PER_RUN:-2}; WARMUP=3
  HERD_ROUNDS=3; MISS_ROUNDS=3; MISS_WARMUP_ROUNDS=2; ECONOMY_SECONDS=25; ECONOMY_DEFAULT_SECONDS=12; OVERLOAD_SECONDS=30; OVERLOAD_STEADY=10
  OUTAGE_SECONDS=10; REDIS_DOWN_SECONDS=5; AFTER_SECONDS=10
  SENTINEL_KILL_AFTER=3; SENTINEL_AFTER_SECONDS=20
else
  ROUNDS=${ROUNDS:-10}; SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}; WARMUP=8
  HERD_ROUNDS=5; MISS_ROUNDS=5; MISS_WARMUP_ROUNDS=5; ECONOMY_SECONDS=65; ECONOMY_DEFAULT_SECONDS=30; OVERLOAD_SECONDS=130; OVERLOAD_STEADY=65
  OUTAGE_SECONDS=30; REDIS_DOWN_SECONDS=10; AFTER_SECONDS=20
  SENTINEL_KILL_AFTER=5; SENTINEL_AFTER_SECONDS=30
fi
REPLICAS=3
# The hit path's wrk, the herd and the miss run each come from one program: they measure the engine, so fair share per
# client is off, and the budget is far above what they spend.
ENGINE_SETTINGS=(Provider__MaxCallsPerMinute=600 Clients__MaxColdPairsPerMinute=0 Clients__MaxBudgetShare=1)
SUMMARY=()
PLOTS=() # timeline plots: "name|title|budget|warm-up seconds|top" (name: $RAW/<name>-timeline.csv and -calls.dat)
PROVIDER_LATENCY_MS=50
HOT_PAIRS=200            # faults: pairs coin-500000.. in usd, round robin
LOAD_CONCURRENCY=32      # faults, sentinel
LOAD_TIMEOUT=5           # faults, sentinel: the load tool's per-request timeout (s), above the 2 s slowest-answer goal
SLOWEST_GOAL_MS=2000     # faults (Redis phase) and sentinel: slowest answer
READY_GOAL_MS=15000      # sentinel: from the primary's kill to every replica's readiness on Redis again
# Sentinel failover (issue #11): down-after 1 s, failover-timeout 3 s, quorum 2 of 3 sentinels, one password on all.
SENTINEL_DOWN_AFTER_MS=1000; SENTINEL_FAILOVER_TIMEOUT_MS=3000; SENTINEL_MASTER=mymaster
# Fairness (issue #11): budget 6 calls a minute, fair share at its defaults; A asks 1000 cold pairs (10 × 100 at once),
# then B asks 5 new ones.
FAIR_BUDGET=6; FAIR_A_REQUESTS=10; FAIR_A_COINS_PER_REQUEST=100; FAIR_B_PAIRS=5
SHORT_TTL=10
BUDGET_DEFAULT=30
DEFAULT_TTL=300          # Cache:TtlSeconds when CACHE_TTL_SECONDS is not set (README's configuration table)
IDS_PER_CALL=250         # Provider:MaxIdsPerCall's default: coins one /simple/price call can carry
# Economy (issue #9): a hot set of 50 coins × 4 currencies asked at random by 24 keep-alive clients over 3 replicas.
HOT_COINS=50; HOT_CURRENCIES=usd,eur,gbp,jpy; ECONOMY_CLIENTS=24; ECONOMY_WARMUP=5
# Overload: 1000 coins × 2 currencies, Zipf popularity (s = 1), a budget of 6 calls a minute, TTL 10 s. Its goal figure is
# the steady state (answers after OVERLOAD_STEADY s): in the first minute every pair is a miss, the hot set is still being
# learnt and the currency list takes one of the six calls; that minute is reported beside it.
OVERLOAD_COINS=1000; OVERLOAD_CURRENCIES=usd,eur; OVERLOAD_BUDGET=6; OVERLOAD_ZIPF_S=1; OVERLOAD_WARMUP=10

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
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)
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

CEILING_PID=""; CEILING_STARTS=0; CEILING_SETTINGS=()
# (Re)starts the ceiling app on a new port with CEILING_SETTINGS and extra "KEY=VALUE" settings (the hit and v3
# scenarios give it the API's own bodies).
start_ceiling() {
  if [ -n "$CEILING_PID" ]; then
    kill "$CEILING_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$CEILING_PID" 2>/dev/null || break; sleep 0.1; done
    { kill -9 "$CEILING_PID"; wait "$CEILING_PID"; } 2>/dev/null || true
  fi
  CEILING_STARTS=$((CEILING_STARTS + 1))
  CEILING_PORT=$(free_port); CEILING="http://127.0.0.1:$CEILING_PORT"
  log "ceiling app on $CEILING_PORT $*"
  env ASPNETCORE_ENVIRONMENT=Production "${CEILING_SETTINGS[@]}" "$@" dotnet "$CEILING_DLL" --urls "$CEILING" >"$RAW/ceiling-$CEILING_STARTS.log" 2>&1 &
  CEILING_PID=$!; PIDS+=("$CEILING_PID")
  wait_http "$CEILING/health" 30
}
start_ceiling

API_PORTS=(); API_MGMT=(); API_PIDS=(); API_SET=""
# The allocator settings the image gives the API (deploy/docker/Dockerfile), so that replicas run here as they run there.
read -r -a IMAGE_ENV <<<"$(grep -oE 'MALLOC_[A-Z_]+=[0-9]+' "$ROOT/deploy/docker/Dockerfile" | tr '\n' ' ')"
[ "${#IMAGE_ENV[@]}" -gt 0 ] || { echo "no MALLOC_ settings found in deploy/docker/Dockerfile" >&2; exit 1; }
# Starts $REPLICAS replicas on a fresh Redis keyspace with extra "KEY=VALUE" settings; stops the previous set.
# Redis__ConnectionString among the settings replaces the bench's single Redis (e.g. sentinels); the bench's Redis is
# then neither flushed nor used.
start_replicas() {
  local name="$1"; shift
  stop_replicas
  local redis_setting="Redis__ConnectionString=redis://127.0.0.1:$REDIS_PORT" setting
  for setting in "$@"; do [[ "$setting" == Redis__ConnectionString=* ]] && redis_setting=""; done
  if [ -n "$redis_setting" ]; then redis-cli -p "$REDIS_PORT" flushall >/dev/null; fi
  fake reset
  API_PORTS=(); API_MGMT=(); API_PIDS=(); API_SET="$name"
  local i port mgmt attempt
  for i in $(seq 1 "$REPLICAS"); do
    # A port found free can still be taken before the replica binds it: then it exits, and starts again elsewhere.
    for attempt in 1 2 3; do
      port=$(free_port); mgmt=$(free_port)
      env -u REDIS_URL -u CACHE_TTL_SECONDS -u DEFAULT_COIN -u DEFAULT_CURRENCY ASPNETCORE_ENVIRONMENT=Production "${IMAGE_ENV[@]}" \
        ${redis_setting:+"$redis_setting"} CoinGecko__BaseUrl="$FAKE/api/v3/" Management__Port="$mgmt" "$@" \
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
  log "replica set '$name': ports ${API_PORTS[*]} ($(printf '%s ' "$@" | sed 's/Redis__Password=[^ ]*/Redis__Password=(hidden)/'))"
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
# True when every replica's readiness (management port) reports Redis Healthy.
all_redis_ready() {
  local i
  for i in $(seq 0 $((REPLICAS - 1))); do
    grep -q '"redis":{"status":"Healthy"' <<<"$(curl -sf --max-time 1 "http://127.0.0.1:${API_MGMT[$i]}/health/ready")" || return 1
  done
}
num_or() { if [[ "$1" =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then echo "$1"; else echo "$2"; fi; } # value fallback: a number for verdict
max_of() { printf '%s\n' "$@" | awk '$1 != "n/a" && $1 != "" {if (!seen || $1 > m) m = $1; seen = 1} END {if (seen) print m; else print "n/a"}'; }
all_api_urls() { local i u=(); for i in $(seq 0 $((REPLICAS - 1))); do u+=("$(api_url "$i")"); done; (IFS=,; echo "${u[*]}"); }

# ---------------------------------------------------------------------------------------------------- measuring
source "$ROOT/bench/cpu.sh" # cpu_ticks, wait_cpu_quiet
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
CLK_TCK=$(getconf CLK_TCK)
load_tool() { dotnet "$LOAD_DLL" "$@"; }
val() { { grep -m1 "^$1=" "$2" || echo "=${3:-n/a}"; } | cut -d= -f2-; } # key file [default]
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v * 0.001; else if (v ~ /ms$/) printf "%.2f", v + 0; else if (v ~ /s$/) printf "%.2f", v * 1000; else print "n/a" }'; }
now_ms() { date +%s%3N; }
hits_of() { curl -sf "http://127.0.0.1:$1/admin/cache/stats" | grep -o '"hits":[0-9]*' | cut -d: -f2; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**not met**"; fi; }
ceil_div() { echo $(( ($1 + $2 - 1) / $2 )); }

# Provider calls during a scenario, for the budget's "at most N calls in any 60 s": from the fake's own call times when
# /__fake/stats lists them ("callTimes", UTC ms: exact), otherwise from its priceCalls counter sampled once a second
# (then the sliding maximum is known between two bounds: calls seen within 60 s of each other, and calls between the
# samples around any 60 s window).
CALLS_PID=""
calls_start() { # prefix: samples go to prefix-samples.txt
  CALLS_PREFIX="$1"; CALLS_T0=$(now_ms)
  ( while :; do c=$(price_calls) && echo "$(now_ms) $c"; sleep 1; done ) >"$CALLS_PREFIX-samples.txt" 2>/dev/null &
  CALLS_PID=$!; PIDS+=("$CALLS_PID")
}
# calls_stop start_ms: sets CALLS_TOTAL, CALLS_KIND (exact|sampled), CALLS_LB and CALLS_UB (the sliding 60 s maximum;
# equal when exact) and writes prefix-calls.dat (second since start_ms, cumulative calls, calls in the preceding 60 s).
calls_stop() {
  local start_ms="$1" stats
  kill "$CALLS_PID" 2>/dev/null || true; wait "$CALLS_PID" 2>/dev/null || true
  stats=$(curl -sf "$FAKE/__fake/stats" || echo '{}')
  echo "$(now_ms) $(echo "$stats" | grep -o '"priceCalls":[0-9]*' | cut -d: -f2)" >>"$CALLS_PREFIX-samples.txt"
  echo "$stats" >"$CALLS_PREFIX-stats.json"
  if echo "$stats" | grep -q '"callTimes":\['; then
    CALLS_KIND=exact
    echo "$stats" | grep -o '"callTimes":\[[^]]*\]' | sed 's/.*\[//; s/\]//' | tr ',' '\n' | tr -dc '0-9\n' \
      | awk -v t0="$CALLS_T0" 'NF && $1 >= t0' | sort -n >"$CALLS_PREFIX-times.txt"
    CALLS_TOTAL=$(wc -l <"$CALLS_PREFIX-times.txt")
    CALLS_LB=$(awk '{t[NR] = $1} END {j = 1; m = 0; for (i = 1; i <= NR; i++) {while (t[i] - t[j] >= 60000) j++; if (i - j + 1 > m) m = i - j + 1}; print m}' "$CALLS_PREFIX-times.txt")
    CALLS_UB=$CALLS_LB
    awk -v s0="$start_ms" '{t[NR] = $1} END {last = (NR ? t[NR] : s0); for (sec = 0; s0 + sec * 1000 <= last + 1000; sec++) {
        now = s0 + sec * 1000; cum = 0; win = 0
        for (i = 1; i <= NR; i++) if (t[i] <= now) {cum++; if (t[i] > now - 60000) win++}
        print sec, cum, win}}' "$CALLS_PREFIX-times.txt" >"$CALLS_PREFIX-calls.dat"
  else
    CALLS_KIND=sampled
    awk 'NF == 2 && $2 != ""' "$CALLS_PREFIX-samples.txt" >"$CALLS_PREFIX-samples.clean"
    CALLS_TOTAL=$(awk 'END {print $2 + 0}' "$CALLS_PREFIX-samples.clean")
    read -r CALLS_LB CALLS_UB < <(awk '{s[NR] = $1; c[NR] = $2} END {
        lb = 0; for (j = 1; j <= NR; j++) for (i = j - 1; i >= 1 && s[j] - s[i] <= 60000; i--) if (c[j] - c[i] > lb) lb = c[j] - c[i]
        # Windows starting in (s[i], s[i+1]] end by s[i+1] + 60 s: their calls are at most c[k] - c[i], k the first sample
        # at or after that end (the last one when the run is shorter); before the first sample, the count was 0.
        ub = 0; s[0] = s[1]; c[0] = 0
        for (i = 0; i < NR; i++) {k = i + 1; while (k < NR && s[k] < s[i + 1] + 60000) k++; if (c[k] - c[i] > ub) ub = c[k] - c[i]}
        print lb, ub}' "$CALLS_PREFIX-samples.clean")
    awk -v s0="$start_ms" '{s[NR] = $1; c[NR] = $2} END {for (j = 1; j <= NR; j++) {
        base = 0; for (i = j; i >= 1; i--) if (s[i] <= s[j] - 60000) {base = c[i]; break}
        printf "%.1f %d %d\n", (s[j] - s0) / 1000, c[j], c[j] - base}}' "$CALLS_PREFIX-samples.clean" >"$CALLS_PREFIX-calls.dat"
  fi
}
# The sliding maximum as printed: "N" when known exactly, "LB–UB (1 s samples)" otherwise.
calls_figure() { if [ "$CALLS_LB" = "$CALLS_UB" ]; then echo "$CALLS_LB"; else echo "$CALLS_LB–$CALLS_UB (1 s samples)"; fi; }
# call_offsets unix_ms file: the arrival of each provider call since unix_ms (ms), from the fake's exact call times;
# fails (leaving the file empty) when the fake gives none.
call_offsets() {
  local stats
  stats=$(curl -sf "$FAKE/__fake/stats" || true)
  if ! grep -q '"callTimes":\[' <<<"$stats"; then : >"$2"; return 1; fi
  grep -o '"callTimes":\[[^]]*\]' <<<"$stats" | sed 's/.*\[//; s/\]//' | tr ',' '\n' | tr -dc '0-9\n' \
    | awk -v t0="$1" 'NF && $1 >= t0 - 5 {print $1 - t0}' | sort -n >"$2"
}
# run_calls unix_ms end_ms file fallback: how many provider calls reached the fake from unix_ms to end_ms after it, from
# its exact call times (written to file by call_offsets); the fallback (a counter's difference) when it gives none.
run_calls() {
  if call_offsets "$1" "$3"; then awk -v end="$2" '$1 <= end' "$3" | wc -l; else echo "$4"; fi
}
calls_verdict() { # goal
  if [ "$CALLS_UB" -le "$1" ]; then echo met; elif [ "$CALLS_LB" -gt "$1" ]; then echo "**not met**"; else echo "undecided (1 s samples)"; fi
}

LOAD_BEFORE="$(cat /proc/loadavg)"
REPORT="$RAW/report.md"
: >"$REPORT"
section() { printf '\n### %s\n\n' "$1" >>"$REPORT"; }
row() { echo "$*" >>"$REPORT"; }
# Waits (at least 5 s, at most 45 s) until the replicas compile (JIT, tiered) fewer than 30 methods a second between them
# (System.Runtime's counter on their /metrics), twice in a row; sets JIT_WAITED (seconds).
jit_methods() {
  local i total=0 v
  for i in $(seq 0 $((REPLICAS - 1))); do
    v=$(curl -sf --max-time 2 "http://127.0.0.1:${API_MGMT[$i]}/metrics" | awk '$1 == "system_runtime_dotnet_jit_compiled_methods" {print $2}')
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
wait_jit_quiet() {
  local before after quiet=0
  JIT_WAITED=0
  before=$(jit_methods)
  # At least 5 s: the fake provider recompiles too, and it has no metrics to ask.
  while [ "$JIT_WAITED" -lt 45 ] && { [ "$quiet" -lt 2 ] || [ "$JIT_WAITED" -lt 5 ]; }; do
    sleep 1; JIT_WAITED=$((JIT_WAITED + 1))
    after=$(jit_methods)
    if [ $((after - before)) -lt 30 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    before=$after
  done
  log "replicas' JIT quiet after ${JIT_WAITED} s"
}

# Warms each URL up (wrk, S seconds each), waits until the processes are quiet, then once more with 3 s each: the
# rounds then measure optimised code on an idle machine. Sets WARM_QUIET ("a s, b s": the two waits).
warm_up() { # seconds "url..." pid...
  local secs="$1" urls url waits=(); read -r -a urls <<<"$2"; shift 2
  for secs in "$secs" 3; do
    for url in "${urls[@]}"; do wrk -t1 -c64 -d"${secs}s" "$url" >/dev/null 2>&1; done
    wait_cpu_quiet "$@"; waits+=("$QUIET_WAITED s")
  done
  WARM_QUIET="${waits[0]}, ${waits[1]}"
}

# ---------------------------------------------------------------------------------------------------- 1. hit path
HIT_TSV="$RAW/hit.tsv"; WRK_TSV="$HIT_TSV"
PLOT_HIT="$RAW/plot-hit.dat" # label, then req/s at c64 and c256, then p99 ms at c64 and c256 (medians)
run_wrk() { # name pid url conns seconds round [management-port] -> appends to WRK_TSV
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
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$conns" "$name" "$rps" "$p50" "$p99" "$cpu" "$(rss_mib "$pid")" "$requests" "$((errors + non2xx))" "$through" >>"$WRK_TSV"
}

# Rows of a wrk table: per concurrency and target, medians of the rounds, and the median of the per-round ratios to
# the base target. For the key target, sets <PREFIX>_RATIO_<c>, _P99_<c>, _RSS_<c>, _ERR_<c>. Adds the medians to PLOT_HIT.
wrk_table() { # tsv base-target "targets" key-target PREFIX
  local tsv="$1" base="$2" targets="$3" key="$4" prefix="$5" c t ratio errs rss_max
  m() { awk -F'\t' -v c="$c" -v t="$t" -v k="$1" 'NR > 1 && $2 == c && $3 == t {print $k}' "$tsv" | median; }
  for c in 64 256; do
    for t in $targets; do
      ratio=$(awk -F'\t' -v c="$c" -v t="$t" -v b="$base" 'NR > 1 && $2 == c && $3 == b {base[$1] = $4} NR > 1 && $2 == c && $3 == t {v[$1] = $4}
        END {for (r in v) if (base[r] > 0) printf "%.3f\n", v[r] / base[r]}' "$tsv" | median)
      errs=$(awk -F'\t' -v c="$c" -v t="$t" 'NR > 1 && $2 == c && $3 == t {s += $10} END {print s + 0}' "$tsv")
      rss_max=$(awk -F'\t' -v c="$c" -v t="$t" 'NR > 1 && $2 == c && $3 == t && $8 > m {m = $8} END {print m + 0}' "$tsv")
      row "| $c | $t | $(m 4 | awk '{printf "%.0f", $1}') | $ratio | $(m 5) | $(m 6) | $(m 7) | $rss_max | $errs |"
      if [ "$t" = "$key" ]; then
        eval "${prefix}_RATIO_$c=$ratio; ${prefix}_P99_$c=$(m 6); ${prefix}_RSS_$c=$rss_max; ${prefix}_ERR_$c=$errs"
      fi
    done
  done
  for t in $targets; do
    printf '%s' "$t" >>"$PLOT_HIT"
    for k in 4 6; do for c in 64 256; do printf ' %s' "$(m "$k")" >>"$PLOT_HIT"; done; done
    echo >>"$PLOT_HIT"
  done
}

if wants hit; then
  start_replicas hit "${ENGINE_SETTINGS[@]}"
  API1_PID=${API_PIDS[0]}; API1="$(api_url 0)"; API1_MGMT=${API_MGMT[0]}
  PRICE_PATH="/price?coin=bitcoin&currency=usd"
  # The first request fills the cache; the second one, a hit, is the answer whose fields and digits the ceiling's
  # DTO then carries (its ageSeconds and the API's move on with time: a digit or two).
  curl -sf "$API1$PRICE_PATH" >/dev/null
  curl -sf "$API1$PRICE_PATH" -o "$RAW/price-body.json"
  CEILING_SETTINGS=(Ceiling__PriceBodyFile="$RAW/price-body.json"); start_ceiling
  curl -sf "$CEILING$PRICE_PATH" -o "$RAW/price-ceiling-body.json"
  if cmp -s "$RAW/price-body.json" "$RAW/price-ceiling-body.json"; then HIT_SAME="identical ($(wc -c <"$RAW/price-body.json") bytes)"
  else HIT_SAME="**different** (API $(wc -c <"$RAW/price-body.json") bytes, ceiling $(wc -c <"$RAW/price-ceiling-body.json") bytes; see raw/$STAMP/price-*body.json)"; fi
  declare -A TARGET_URL=([ceiling]="$CEILING$PRICE_PATH" [minimal]="$CEILING/minimal" [api]="$API1$PRICE_PATH")
  declare -A TARGET_PID=([ceiling]="$CEILING_PID" [minimal]="$CEILING_PID" [api]="$API1_PID")
  declare -A TARGET_MGMT=([api]="$API1_MGMT")
  TARGETS="ceiling minimal api"
  if [ -n "$BASELINE_DLL" ]; then
    # One more replica, built from the baseline ref, on the same Redis and provider (its own management port).
    port=$(free_port); mgmt=$(free_port)
    env -u REDIS_URL -u CACHE_TTL_SECONDS -u DEFAULT_COIN -u DEFAULT_CURRENCY ASPNETCORE_ENVIRONMENT=Production "${IMAGE_ENV[@]}" \
      Redis__ConnectionString="redis://127.0.0.1:$REDIS_PORT" CoinGecko__BaseUrl="$FAKE/api/v3/" Management__Port="$mgmt" Provider__MaxCallsPerMinute=600 \
      dotnet "$BASELINE_DLL" --urls "http://127.0.0.1:$port" >"$RAW/api-baseline.log" 2>&1 &
    PIDS+=($!); BASE_PID=$!
    wait_http "http://127.0.0.1:$port/health" 60
    curl -sf "http://127.0.0.1:$port$PRICE_PATH" >/dev/null
    TARGET_URL[baseline]="http://127.0.0.1:$port$PRICE_PATH"; TARGET_PID[baseline]=$BASE_PID; TARGET_MGMT[baseline]=$mgmt
    TARGETS="ceiling minimal api baseline"
  fi
  log "hit path: warming up ($WARMUP s each, then until quiet, twice)"
  warm_up "$WARMUP" "$(for t in $TARGETS; do printf '%s ' "${TARGET_URL[$t]}"; done)" "${API_PIDS[@]}" "$CEILING_PID" ${BASE_PID:+"$BASE_PID"}
  HIT_QUIET="$WARM_QUIET"; log "hit path: quiet after $HIT_QUIET"
  printf 'round\tconns\ttarget\trps\tp50_ms\tp99_ms\tcpu_us_per_req\trss_mib\trequests\terrors\tpath_hits\n' >"$HIT_TSV"
  for r in $(seq 1 "$ROUNDS"); do
    # The API and the ceiling back to back, each first in every other round, then the references: a ratio compares
    # runs seconds apart. (With the three targets rotated, the API's run was up to 20 s from the ceiling's, and the
    # ceiling's own req/s moved from 28k to 53k between rounds of one run on this shared machine.)
    order=(ceiling api); [ $((r % 2)) -eq 0 ] && order=(api ceiling)
    for t in $TARGETS; do [ "$t" = api ] || [ "$t" = ceiling ] || order+=("$t"); done
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
  wrk_table "$HIT_TSV" ceiling "$TARGETS" api API
  [ -n "$BASELINE_DLL" ] && row "" && row "baseline: the API built from \`$BASELINE\` ($(git -C "$ROOT" rev-parse --short "$BASELINE")), measured in the same rounds."
  PATH_CHECK=$(awk -F'\t' 'NR > 1 && $3 == "api" {req += $9; hits += $11} END {printf "%d of %d", hits, req}' "$HIT_TSV")
  row ""
  row "Warm-up: $WARMUP s of wrk per target, then until the replicas and the ceiling were quiet (JIT recompiles done), then 3 s each and quiet again: $HIT_QUIET."
  row "The ceiling's constant DTO has the API's fields and values, read at start from the API's own hit answer: the two bodies were $HIT_SAME."
  row "Ratios are medians of the per-round ratios to the MVC ceiling of the same round and concurrency. RSS is the highest"
  row "after any round. CPU is the server process's utime+stime over the run divided by the requests served."
  row "Real path: the API's own hit counter (\`/admin/cache/stats\`, incremented by the resolver behind MediatR, validation"
  row "and FusionCache) rose by $PATH_CHECK wrk requests."
  SUMMARY+=("| 1 | hit path c64: req/s vs MVC ceiling | ≥ 0.85× | ${API_RATIO_64}× | $(verdict "${API_RATIO_64} >= 0.85") |")
  SUMMARY+=("| 1 | hit path c256: req/s vs MVC ceiling | ≥ 0.85× | ${API_RATIO_256}× | $(verdict "${API_RATIO_256} >= 0.85") |")
  # CPU per hit against the ceiling's: the median of the per-round ratios at each concurrency, the higher one reported.
  cpu_ratio() { awk -F'\t' -v c="$1" 'NR > 1 && $2 == c && ($3 == "api" || $3 == "ceiling") {cpu[$1 "," $3] = $7; rounds[$1] = 1}
    END {for (r in rounds) if (cpu[r ",ceiling"] > 0) printf "%.3f\n", cpu[r ",api"] / cpu[r ",ceiling"]}' "$HIT_TSV" | median; }
  CPU_RATIO=$(max_of "$(cpu_ratio 64)" "$(cpu_ratio 256)")
  SUMMARY+=("| 1 | hit path CPU per request vs MVC ceiling (c64 $(cpu_ratio 64)×, c256 $(cpu_ratio 256)×) | ≤ 1.2× | ${CPU_RATIO}× | $(verdict "${CPU_RATIO} <= 1.2") |")
  SUMMARY+=("| 1 | hit path p99 at c64 | ≤ 5 ms | ${API_P99_64} ms | $(verdict "${API_P99_64} <= 5") |")
  RSS_MAX=$(( API_RSS_64 > API_RSS_256 ? API_RSS_64 : API_RSS_256 ))
  SUMMARY+=("| 1 | RSS per replica (highest, c64 and c256) | ≤ 150 MiB | ${RSS_MAX} MiB | $(verdict "$RSS_MAX <= 150") |")
  SUMMARY+=("| 1 | failed or non-2xx hit-path requests | 0 | $((API_ERR_64 + API_ERR_256)) | $(verdict "$((API_ERR_64 + API_ERR_256)) == 0") |")
fi

# ---------------------------------------------------------------------------------------------------- 1b. CoinGecko-compatible hit path
V3_PATH="/api/v3/simple/price?ids=bitcoin,ethereum&vs_currencies=usd,eur"
v3_not_available() { # reason
  row "Not available: $1. The scenario is skipped; the run goes on."
  SUMMARY+=("| 1b | v3 hit path c64: req/s vs MVC ceiling | ≥ 0.85× | not available | – |")
  SUMMARY+=("| 1b | v3 hit path c256: req/s vs MVC ceiling | ≥ 0.85× | not available | – |")
}
if wants v3; then
  [ "$API_SET" = hit ] || start_replicas hit "${ENGINE_SETTINGS[@]}"
  API1_PID=${API_PIDS[0]}; API1="$(api_url 0)"; API1_MGMT=${API_MGMT[0]}
  section "1b. CoinGecko-compatible hit path (\`GET $V3_PATH\`, one replica, wrk -t1, ${ROUNDS} interleaved rounds of ${SECONDS_PER_RUN} s, medians)"
  ping_status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$API1/api/v3/ping" || true)
  if [ "$ping_status" != 200 ]; then
    log "v3: GET /api/v3/ping answered ${ping_status:-nothing}: not available in this build"
    v3_not_available "\`GET /api/v3/ping\` answered ${ping_status:-nothing} (the CoinGecko-compatible routes, issue #10, are not in this build)"
  else
    # The first request fills the cache; the second one, a hit, is the body the ceiling will serve byte for byte.
    curl -sf "$API1$V3_PATH" -o /dev/null || true
    if ! curl -sf "$API1$V3_PATH" -o "$RAW/v3-body.json" || ! grep -q '"bitcoin"' "$RAW/v3-body.json"; then
      log "v3: $V3_PATH gave no price body"
      v3_not_available "\`GET $V3_PATH\` gave no price body (see \`raw/$STAMP/v3-body.json\`)"
    else
      start_ceiling Ceiling__SimplePriceBodyFile="$RAW/v3-body.json"
      curl -sf "$CEILING$V3_PATH" -o "$RAW/v3-ceiling-body.json"
      if cmp -s "$RAW/v3-body.json" "$RAW/v3-ceiling-body.json"; then V3_SAME="identical ($(wc -c <"$RAW/v3-body.json") bytes)"
      else V3_SAME="**different** (API $(wc -c <"$RAW/v3-body.json") bytes, ceiling $(wc -c <"$RAW/v3-ceiling-body.json") bytes; see raw/$STAMP/v3-*body.json)"; fi
      declare -A V3_URL=([ceiling]="$CEILING$V3_PATH" [api]="$API1$V3_PATH")
      declare -A V3_PID=([ceiling]="$CEILING_PID" [api]="$API1_PID")
      declare -A V3_MGMT=([api]="$API1_MGMT")
      V3_TSV="$RAW/v3.tsv"; WRK_TSV="$V3_TSV"
      log "v3 hit path: warming up ($WARMUP s each, then until quiet, twice)"
      warm_up "$WARMUP" "${V3_URL[ceiling]} ${V3_URL[api]}" "${API_PIDS[@]}" "$CEILING_PID"
      V3_QUIET="$WARM_QUIET"; log "v3 hit path: quiet after $V3_QUIET"
      printf 'round\tconns\ttarget\trps\tp50_ms\tp99_ms\tcpu_us_per_req\trss_mib\trequests\terrors\tpath_hits\n' >"$V3_TSV"
      for r in $(seq 1 "$ROUNDS"); do
        order=(ceiling api); [ $((r % 2)) -eq 0 ] && order=(api ceiling)
        for c in 64 256; do
          for t in "${order[@]}"; do
            log "v3 hit path: round $r, c$c, $t"
            run_wrk "v3-$t" "${V3_PID[$t]}" "${V3_URL[$t]}" "$c" "$SECONDS_PER_RUN" "$r" "${V3_MGMT[$t]:-}"
          done
        done
      done
      WRK_TSV="$HIT_TSV"
      row "| conns | target | req/s | × MVC ceiling | p50 ms | p99 ms | CPU µs/req | RSS MiB | errors |"
      row "|---|---|---|---|---|---|---|---|---|"
      wrk_table "$V3_TSV" v3-ceiling "v3-ceiling v3-api" v3-api V3
      V3_PATH_CHECK=$(awk -F'\t' 'NR > 1 && $3 == "v3-api" {req += $9; hits += $11} END {printf "%d of %d", hits, req}' "$V3_TSV")
      row ""
      row "The ceiling (\`bench/CryptoCache.Bench.Ceiling\`, \`SimplePriceController\`) is an MVC action on the same route that binds"
      row "the same query parameters (ids, vs_currencies, include_*, precision) and writes a constant coin → currency → number"
      row "dictionary read at start from the API's own answer: the two bodies are $V3_SAME."
      row "The API's hit counter (\`/admin/cache/stats\`) rose by $V3_PATH_CHECK wrk requests (reported: a v3 answer may count"
      row "one hit per pair, or be served without the counter)."
      row "Warm-up: $WARMUP s of wrk per target, then until the replicas and the ceiling were quiet (JIT recompiles done), then 3 s each and quiet again: $V3_QUIET."
      SUMMARY+=("| 1b | v3 hit path c64: req/s vs MVC ceiling | ≥ 0.85× | ${V3_RATIO_64}× | $(verdict "${V3_RATIO_64} >= 0.85") |")
      SUMMARY+=("| 1b | v3 hit path c256: req/s vs MVC ceiling | ≥ 0.85× | ${V3_RATIO_256}× | $(verdict "${V3_RATIO_256} >= 0.85") |")
      SUMMARY+=("| 1b | v3 hit path: p99 at c64, failed or non-2xx requests | (reported) | ${V3_P99_64} ms, $((V3_ERR_64 + V3_ERR_256)) | – |")
    fi
  fi
fi

# ---------------------------------------------------------------------------------------------------- 2-3. herd and misses
if wants herd || wants miss; then
  # Fresh replicas (same settings as the hit path's), like every later scenario: the same miss rounds run on the hit
  # path's replicas right after their minutes of wrk came out 3-8 % slower (medians 1.03 and 1.08 s against 0.98 and
  # 1.00 s in runs of this script on 2026-12-02), a leftover of the load before them, not of the miss path.
  start_replicas engine "${ENGINE_SETTINGS[@]}"
  # Validation's currency list cached on every replica first, so that only the price calls under test are counted.
  for i in $(seq 0 $((REPLICAS - 1))); do curl -sf "$(api_url "$i")/price?coin=bitcoin&currency=usd" >/dev/null; done
  fake "mode?mode=Normal&latencyMs=$PROVIDER_LATENCY_MS"
  # Warm-up, not counted: the first herd and miss rounds on fresh replicas are JIT-compiled as they go, then recompiled
  # (tiered) for seconds after, on every replica at once, which on 2 shared cores delays whatever runs then by tens to
  # hundreds of ms. A replica runs different code as the herd's fetcher and as a waiter for another's fetch, so a few
  # herds (each replica in both roles, most likely), the miss rounds below, then the wait until the replicas' JIT is
  # quiet. The first cold round's figures are reported too.
  if wants herd; then
    for w in 1 2 3 4 5; do
      load_tool herd --urls "$(all_api_urls)" --path "/price?coin=coin-89999$w&currency=usd" --cached-path "/price?coin=bitcoin&currency=usd" --count 300 >"$RAW/herd-cold-$w.txt"
    done
    cp "$RAW/herd-cold-1.txt" "$RAW/herd-cold.txt"
  fi
  if wants miss; then
    # Five rounds (two for --quick): tiered compilation recompiles a method after 30 calls at each tier (plain, then
    # instrumented, then optimised), and the code that runs once per provider call (the batch's claim, the call, its
    # parsing and storing) runs 16 times a round: with two warm-up rounds it was still being recompiled during the first
    # two counted rounds, which came out 50-80 ms slower than the other three in every run.
    for w in $(seq 1 "$MISS_WARMUP_ROUNDS"); do
      load_tool miss --url "$(api_url 0)" --count 1000 --concurrency 64 --coin-base $(( 1900000 + w * 10000 )) --self-warmup 1 >"$RAW/miss-warm-up-$w.txt"
    done
  fi
  wait_jit_quiet
fi

if wants herd; then
  # Each round: the same 300-request burst on a pair every replica holds (bitcoin/usd, asked above), then on a new pair,
  # over the same connections. The cached burst is what sending and answering 300 requests costs on this machine now;
  # the herd's last waiter is judged against it, so that the figure is the engine's, not the machine's load.
  HERD_CACHED_PATH="/price?coin=bitcoin&currency=usd"
  HERD_TSV="$RAW/herd.tsv"
  printf 'round\tprovider_calls\tcached_last_ms\tfirst_ms\tp50_ms\tlast_ms\tlast_minus_cached_ms\tfailed\tconnections\tcall_ms\n' >"$HERD_TSV"
  for r in $(seq 1 "$HERD_ROUNDS"); do
    coin="coin-$(( 900000 + RANDOM * 10 + r ))"
    before=$(price_calls)
    load_tool herd --urls "$(all_api_urls)" --path "/price?coin=$coin&currency=usd" --cached-path "$HERD_CACHED_PATH" --count 300 \
      --timeline "$RAW/herd-$r-answers.txt" >"$RAW/herd-$r.txt"
    sleep 0.5
    f="$RAW/herd-$r.txt"
    # The herd's calls: those that reached the fake between the release and the last answer (its exact call times).
    # The counter's difference spans the load tool's start and the cached burst too, where the refresher may make a
    # call of its own for the hot pairs; it is the figure only when the fake gives no call times.
    calls=$(run_calls "$(val release_unix_ms "$f")" "$(val last_ms "$f" 0)" "$RAW/herd-$r-calls.txt" "$(( $(price_calls) - before ))")
    diff_ms=$(awk -v a="$(val last_ms "$f")" -v b="$(val cached_last_ms "$f")" 'BEGIN { if (a == "n/a" || b == "n/a") print "n/a"; else printf "%.1f", a - b }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$calls" "$(val cached_last_ms "$f")" "$(val first_ms "$f")" "$(val p50_ms "$f")" "$(val last_ms "$f")" \
      "$diff_ms" "$(( $(num_or "$(val failed "$f")" 0) + $(num_or "$(val cached_failed "$f")" 0) ))" "$(val connections "$f")" \
      "$(head -n 1 "$RAW/herd-$r-calls.txt" | grep . || echo n/a)" >>"$HERD_TSV"
    log "herd round $r: $calls provider calls, last waiter $(val last_ms "$f") ms, cached burst's last $(val cached_last_ms "$f") ms, failed $(val failed "$f")"
  done
  section "2. Herd (300 concurrent requests for one uncached pair, spread over $REPLICAS replicas, provider latency $PROVIDER_LATENCY_MS ms, $HERD_ROUNDS rounds; the same burst on a cached pair first in each round)"
  row "| round | provider calls | provider call arrived ms | cached burst: last ms | herd: first answer ms | herd: median ms | herd: last waiter ms | last waiter − cached burst's last ms | failed | connections pre-opened |"
  row "|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' 'NR > 1 {printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $10, $3, $4, $5, $6, $7, $8, $9}' "$HERD_TSV" >>"$REPORT"
  HERD_CALLS_MAX=$(awk -F'\t' 'NR > 1 && $2 > m {m = $2} END {print m + 0}' "$HERD_TSV")
  HERD_LAST=$(awk -F'\t' 'NR > 1 {print $6}' "$HERD_TSV" | median)
  HERD_CACHED_LAST=$(awk -F'\t' 'NR > 1 {print $3}' "$HERD_TSV" | median)
  HERD_OVER=$(awk -F'\t' 'NR > 1 && $7 != "n/a" {print $7}' "$HERD_TSV" | median)
  HERD_FAILED=$(awk -F'\t' 'NR > 1 {s += $8} END {print s + 0}' "$HERD_TSV")
  HERD_ALLOWANCE=$((PROVIDER_LATENCY_MS + 100))
  row ""
  row "Provider calls: those that reached the fake between the burst's release and its last answer (the fake's call times)."
  row "Times are from the moment the first request of a burst was sent (all 300 released together over connections opened"
  row "beforehand). The cached burst asks \`$HERD_CACHED_PATH\`, which every replica holds in memory, over the same connections"
  row "just before the herd: medians of rounds, cached burst's last $HERD_CACHED_LAST ms, herd's last waiter $HERD_LAST ms."
  row "Before the rounds, five warm-up herds on the fresh replicas (not counted; then ${JIT_WAITED} s until their JIT was quiet). The first,"
  row "cold: cached burst's last $(val cached_last_ms "$RAW/herd-cold.txt") ms, herd's last waiter $(val last_ms "$RAW/herd-cold.txt") ms, failed $(val failed "$RAW/herd-cold.txt")."
  SUMMARY+=("| 2 | herd: provider calls per herd (worst round) | 1 | $HERD_CALLS_MAX | $(verdict "$HERD_CALLS_MAX == 1") |")
  SUMMARY+=("| 2 | herd: last waiter − the cached burst's last (median of rounds) | ≤ $PROVIDER_LATENCY_MS + 100 ms | $HERD_OVER ms ($HERD_LAST vs $HERD_CACHED_LAST ms) | $(verdict "$(num_or "$HERD_OVER" 1e9) <= $HERD_ALLOWANCE") |")
  SUMMARY+=("| 2 | herd: failed requests (both bursts) | 0 | $HERD_FAILED | $(verdict "$HERD_FAILED == 0") |")
fi

if wants miss; then
  MISS_TSV="$RAW/miss.tsv"; printf 'round\tprovider_calls\twall_ms\tp50_ms\tp99_ms\tfailed\n' >"$MISS_TSV"
  for r in $(seq 1 "$MISS_ROUNDS"); do
    before=$(price_calls)
    # --self-warmup: the tool, a fresh process each round, first runs its own request path on /health for a second
    # (no cache, no provider), so that its recompilations are over before the run rather than on the API's cores.
    load_tool miss --url "$(api_url 0)" --count 1000 --concurrency 64 --coin-base $(( 1000000 + r * 10000 )) --self-warmup 1 \
      --timeline "$RAW/miss-$r-requests.txt" >"$RAW/miss-$r.txt"
    sleep 0.5
    f="$RAW/miss-$r.txt"
    # The calls from the run's start to its last answer (the counter, read around the tool, also counts a refresher
    # call during its warm-up).
    calls=$(run_calls "$(val start_unix_ms "$f")" "$(val wall_ms "$f")" "$RAW/miss-$r-calls.txt" "$(( $(price_calls) - before ))")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$calls" "$(val wall_ms "$f")" "$(val p50_ms "$f")" "$(val p99_ms "$f")" "$(val failed "$f")" >>"$MISS_TSV"
    log "miss round $r: $calls provider calls, wall $(val wall_ms "$f") ms, failed $(val failed "$f")"
  done
  section "3. Miss path (1000 distinct pairs asked once each, 64 in flight, one replica, provider latency $PROVIDER_LATENCY_MS ms, $MISS_ROUNDS rounds)"
  row "| round | provider calls | wall ms | p50 ms | p99 ms | failed |"
  row "|---|---|---|---|---|---|"
  awk -F'\t' 'NR > 1 {printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}' "$MISS_TSV" >>"$REPORT"
  MISS_WALL=$(awk -F'\t' 'NR > 1 {print $3}' "$MISS_TSV" | median)
  # The round plotted: the one whose wall time is the median (the lower middle one for an even count).
  MISS_PLOT_ROUND=$(awk -F'\t' 'NR > 1 {print $3, $1}' "$MISS_TSV" | sort -g | awk '{r[NR] = $2} END {print r[int((NR + 1) / 2)]}')
  MISS_CALLS=$(awk -F'\t' 'NR > 1 && $2 > m {m = $2} END {print m + 0}' "$MISS_TSV")
  MISS_FAILED=$(awk -F'\t' 'NR > 1 {s += $6} END {print s + 0}' "$MISS_TSV")
  row ""
  row "Lower bound for any service that waits for the provider: 1000 × $PROVIDER_LATENCY_MS ms / 64 in flight = $(( 1000 * PROVIDER_LATENCY_MS / 64 )) ms."
  row "Before the rounds, $MISS_WARMUP_ROUNDS warm-up rounds on other pairs (not counted), wall ms: $(for w in $(seq 1 "$MISS_WARMUP_ROUNDS"); do printf '%s ' "$(val wall_ms "$RAW/miss-warm-up-$w.txt")"; done)(the first cold, failed $(val failed "$RAW/miss-warm-up-1.txt"))."
  SUMMARY+=("| 3 | miss path: wall time (median) | ≤ 1000 ms | $MISS_WALL ms | $(verdict "$(num_or "$MISS_WALL" 1e9) <= 1000") |")
  SUMMARY+=("| 3 | miss path: provider calls (worst round) | ≤ 50 | $MISS_CALLS | $(verdict "$MISS_CALLS <= 50") |")
  SUMMARY+=("| 3 | miss path: failed requests | 0 | $MISS_FAILED | $(verdict "$MISS_FAILED == 0") |")
fi
fake "mode?mode=Normal&latencyMs=0"

# ---------------------------------------------------------------------------------------------------- 4. economy
# A closed-loop load (keep-alive clients, replicas in turn) on a fresh replica set and keyspace, from a cold cache, with the
# provider answering after PROVIDER_LATENCY_MS. Leaves the load tool's output in $RAW/<name>.txt, its per-second timeline
# in <name>-timeline.csv, every answer in <name>-answers.csv, and the provider calls (calls_stop) in <name>-calls.dat.
hot_load() { # name seconds warmup "replica settings" load-tool-options...
  local name="$1" secs="$2" warmup="$3" settings="$4"; shift 4
  # shellcheck disable=SC2086 # settings are KEY=VALUE words
  start_replicas "$name" $settings
  fake "mode?mode=Normal&latencyMs=$PROVIDER_LATENCY_MS"
  calls_start "$RAW/$name"
  # Validation's currency list cached on every replica first (not a /simple/price call).
  for i in $(seq 0 $((REPLICAS - 1))); do curl -sf "$(api_url "$i")/currencies" >/dev/null || true; done
  log "$name: ${secs} s, $settings, $*"
  load_tool load --urls "$(all_api_urls)" --duration "$secs" --warmup "$warmup" "$@" \
    --timeline "$RAW/$name-timeline.csv" --answers "$RAW/$name-answers.csv" >"$RAW/$name.txt"
  calls_stop "$(val start_unix_ms "$RAW/$name.txt" 0)"
  fake "mode?mode=Normal&latencyMs=0"
  log "$name: answers after warm-up $(val warm.statuses "$RAW/$name.txt"), fresh share $(val warm.fresh_share "$RAW/$name.txt"), provider calls $CALLS_TOTAL, most in 60 s $(calls_figure)"
}

economy() { # label ttl-seconds|default seconds
  local label="$1" ttl="$2" secs="$3" name="economy-$1" settings="Provider__MaxCallsPerMinute=$BUDGET_DEFAULT"
  [ "$ttl" != default ] && settings+=" CACHE_TTL_SECONDS=$ttl"
  local ttl_s=$([ "$ttl" = default ] && echo "$DEFAULT_TTL" || echo "$ttl")
  hot_load "$name" "$secs" "$ECONOMY_WARMUP" "$settings" --coins "$HOT_COINS" --coin-base 1 --currencies "$HOT_CURRENCIES" \
    --pick uniform --concurrency "$ECONOMY_CLIENTS"
  local f="$RAW/$name.txt"
  # Ideal: every coin refreshed once per TTL, as many coins per call as the provider takes.
  local ideal=$(( $(ceil_div "$HOT_COINS" "$IDS_PER_CALL") * $(ceil_div 60 "$ttl_s") ))
  row "| $label | $(val total.seconds "$f") | $(val total.requests "$f") | $(val warm.fresh_share "$f") | $(val warm.stale "$f") | $(val warm.failed "$f") | $(val warm.statuses "$f") | $CALLS_TOTAL | $(calls_figure) | $ideal | $(val warm.p99_ms "$f") |"
  local run_note=""; [ "$secs" -lt 60 ] && run_note=" (run of $secs s)"
  SUMMARY+=("| 4 | economy ($label TTL): provider calls in any 60 s$run_note | ≤ $BUDGET_DEFAULT (ideal $ideal) | $(calls_figure) | $(calls_verdict "$BUDGET_DEFAULT") |")
  if [ "$ttl" != default ]; then
    SUMMARY+=("| 4 | economy ($label TTL): fresh share of answers after ${ECONOMY_WARMUP} s | ≥ 0.95 (ideal 1) | $(val warm.fresh_share "$f") | $(verdict "$(val warm.fresh_share "$f" 0) >= 0.95") |")
  else
    SUMMARY+=("| 4 | economy ($label TTL): fresh share of answers after ${ECONOMY_WARMUP} s | (reported) | $(val warm.fresh_share "$f") | – |")
  fi
  SUMMARY+=("| 4 | economy ($label TTL): non-200 answers after ${ECONOMY_WARMUP} s | 0 | $(val warm.failed "$f") of $(val warm.requests "$f") | $(verdict "$(val warm.failed "$f" 1) == 0") |")
  PLOTS+=("$name|Economy, $label TTL: $HOT_COINS coins × ${HOT_CURRENCIES//,/\/}, $REPLICAS replicas, budget $BUDGET_DEFAULT/min|$BUDGET_DEFAULT|$ECONOMY_WARMUP|")
}
if wants economy; then
  section "4. Provider economy ($HOT_COINS coins × ${HOT_CURRENCIES//,/, } = $(( HOT_COINS * $(echo "$HOT_CURRENCIES" | tr ',' '\n' | wc -l) )) hot pairs asked at random by $ECONOMY_CLIENTS keep-alive clients over $REPLICAS replicas, budget Provider__MaxCallsPerMinute=$BUDGET_DEFAULT, provider latency $PROVIDER_LATENCY_MS ms, cold start)"
  row "| TTL | seconds | answers | fresh share after ${ECONOMY_WARMUP} s | stale after ${ECONOMY_WARMUP} s | non-200 after ${ECONOMY_WARMUP} s | statuses after ${ECONOMY_WARMUP} s | provider calls | most calls in any 60 s | ideal calls a minute | p99 ms after ${ECONOMY_WARMUP} s |"
  row "|---|---|---|---|---|---|---|---|---|---|---|"
  economy "${SHORT_TTL}s" "$SHORT_TTL" "$ECONOMY_SECONDS"
  economy default default "$ECONOMY_DEFAULT_SECONDS"
  row ""
  row "Each answer is counted by status and by its \`stale\` flag: fresh = 200 with \`\"stale\":false\`. The first ${ECONOMY_WARMUP} s"
  row "(cold start: no pair cached) are left out of the shares. The ideal is what a refresher batching every hot coin needs:"
  row "ceil(coins ÷ $IDS_PER_CALL ids per call) calls per TTL, i.e. $(ceil_div "$HOT_COINS" "$IDS_PER_CALL") call every ${SHORT_TTL} s for $HOT_COINS coins = $(( $(ceil_div "$HOT_COINS" "$IDS_PER_CALL") * $(ceil_div 60 "$SHORT_TTL") )) a minute."
  row "Provider calls are \`/simple/price\` calls seen by the fake; the most in any 60 s is $([ "$CALLS_KIND" = exact ] && echo "computed from the fake's call times (\`callTimes\`)" || echo "bounded from its call counter sampled once a second (the fake does not list call times yet): lower bound = most calls between two samples at most 60 s apart, upper bound = calls between the samples around any 60 s window")."
  row "Every answer: \`raw/$STAMP/economy-*-answers.csv\`; per second: \`economy-*-timeline.csv\`; calls: \`economy-*-calls.dat\`."
fi

# ---------------------------------------------------------------------------------------------------- 4b. overload
if wants overload; then
  name=overload
  hot_load "$name" "$OVERLOAD_SECONDS" "$OVERLOAD_WARMUP" "Provider__MaxCallsPerMinute=$OVERLOAD_BUDGET CACHE_TTL_SECONDS=$SHORT_TTL" \
    --coins "$OVERLOAD_COINS" --coin-base 1 --currencies "$OVERLOAD_CURRENCIES" --pick zipf --zipf-s "$OVERLOAD_ZIPF_S" \
    --concurrency "$ECONOMY_CLIENTS" --steady "$OVERLOAD_STEADY"
  f="$RAW/$name.txt"
  OVERLOAD_PAIRS=$(( OVERLOAD_COINS * $(echo "$OVERLOAD_CURRENCIES" | tr ',' '\n' | wc -l) ))
  NEEDED=$(( $(ceil_div "$OVERLOAD_COINS" "$IDS_PER_CALL") * $(ceil_div 60 "$SHORT_TTL") ))
  section "4b. Overload ($OVERLOAD_COINS coins × ${OVERLOAD_CURRENCIES//,/, } = $OVERLOAD_PAIRS hot pairs, Zipf popularity s = $OVERLOAD_ZIPF_S, $ECONOMY_CLIENTS keep-alive clients over $REPLICAS replicas, budget Provider__MaxCallsPerMinute=$OVERLOAD_BUDGET, TTL ${SHORT_TTL} s, provider latency $PROVIDER_LATENCY_MS ms, cold start, ${OVERLOAD_SECONDS} s)"
  row "| figure | value |"
  row "|---|---|"
  row "| answers (all) | $(val total.requests "$f"), statuses $(val total.statuses "$f") |"
  row "| answers after the ${OVERLOAD_WARMUP} s warm-up | $(val warm.requests "$f"), fresh share $(val warm.fresh_share "$f"), stale $(val warm.stale "$f"), non-200 $(val warm.failed "$f") ($(val warm.statuses "$f")) |"
  row "| pairs asked / that got a 200 | $(val pairs.asked "$f") / $(val pairs.with_200 "$f") of $OVERLOAD_PAIRS |"
  row "| 5xx answers for pairs that had already had a 200 | $(val pairs.5xx_after_200 "$f") (on $(val pairs.with_5xx_after_200 "$f") pairs) |"
  row "| 10 % most-asked pairs | $(val top10.pairs "$f") pairs, $(val top10.share_of_asks "$f") of all asks |"
  row "| their answers after warm-up | $(val warm.top10.requests "$f"), fresh share $(val warm.top10.fresh_share "$f"), stale $(val warm.top10.stale "$f"), non-200 $(val warm.top10.failed "$f") |"
  row "| their answers in the steady state (after ${OVERLOAD_STEADY} s) | $(val steady.top10.requests "$f"), fresh share $(val steady.top10.fresh_share "$f"), stale $(val steady.top10.stale "$f"), non-200 $(val steady.top10.failed "$f") |"
  row "| all answers in the steady state | $(val steady.requests "$f"), fresh share $(val steady.fresh_share "$f"), stale $(val steady.stale "$f"), non-200 $(val steady.failed "$f") ($(val steady.statuses "$f")) |"
  row "| provider calls | $CALLS_TOTAL in the run, most in any 60 s $(calls_figure) (budget $OVERLOAD_BUDGET; $NEEDED a minute would keep every pair fresh) |"
  row ""
  row "The budget cannot keep every pair fresh (ceil($OVERLOAD_COINS ÷ $IDS_PER_CALL) calls per ${SHORT_TTL} s = $NEEDED a minute): the service"
  row "must spend it where clients ask most. Popularity: pair of rank k asked in proportion to 1/k^$OVERLOAD_ZIPF_S (ranks shuffled over the"
  row "coins with a fixed seed). The 10 % most-asked pairs are those with the most answers in this run; fresh = 200 with"
  row "\`\"stale\":false\`, over all their answers after the warm-up. A 5xx counts against a pair only when its request was sent"
  row "after some replica had answered that pair with a 200."
  run_note=""; [ "$OVERLOAD_SECONDS" -lt 60 ] && run_note=" (run of $OVERLOAD_SECONDS s)"
  SUMMARY+=("| 4b | overload: provider calls in any 60 s$run_note | ≤ $OVERLOAD_BUDGET (all fresh would need $NEEDED) | $(calls_figure) | $(calls_verdict "$OVERLOAD_BUDGET") |")
  SUMMARY+=("| 4b | overload: 5xx answers for pairs that had had a price | 0 | $(val pairs.5xx_after_200 "$f") | $(verdict "$(val pairs.5xx_after_200 "$f" 1) == 0") |")
  SUMMARY+=("| 4b | overload: fresh share of the 10 % most-asked pairs, steady state (after ${OVERLOAD_STEADY} s) | ≥ 0.9 | $(val steady.top10.fresh_share "$f") | $(verdict "$(val steady.top10.fresh_share "$f" 0) >= 0.9") |")
  SUMMARY+=("| 4b | overload: fresh share of the 10 % most-asked pairs from ${OVERLOAD_WARMUP} s, cold start included | (reported) | $(val warm.top10.fresh_share "$f") | – |")
  SUMMARY+=("| 4b | overload: fresh share of all answers after ${OVERLOAD_WARMUP} s | (reported) | $(val warm.fresh_share "$f") | – |")
  PLOTS+=("$name|Overload: $OVERLOAD_PAIRS pairs, Zipf s = $OVERLOAD_ZIPF_S, budget $OVERLOAD_BUDGET/min, TTL ${SHORT_TTL} s|$OVERLOAD_BUDGET|$OVERLOAD_WARMUP|top")
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
    --timeout "$LOAD_TIMEOUT" --events "$events" --timeline "$RAW/faults-redis-timeline.csv" >"$RAW/faults-redis.txt" &
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
  # Slowest answer of the Redis phase: answers received from the kill to the end of the load (the phases redis_down and
  # redis_up); a request with no answer counts with the tool's timeout ($LOAD_TIMEOUT s), above the goal.
  REDIS_MAX=$(max_of "$(val after.redis_down.max_ms "$f")" "$(val after.redis_up.max_ms "$f")")
  REDIS_TOTAL_MAX=$(val total.max_ms "$f")
  row ""
  row "Provider outage: $down_calls provider calls were attempted during the $OUTAGE_SECONDS s of failure (circuit breaker, fail-safe"
  row "throttle and budget keep it low). Recovery after the provider came back (last stale or failed answer): $PROVIDER_RECOVERY ms."
  row "Redis outage: every replica's readiness reported Redis healthy $READY_MS ms after the restart; last non-fresh answer"
  row "$REDIS_RECOVERY ms after it; keys in the restarted (empty) Redis at the end: $keys_after."
  row "Slowest answer from the kill to the end of the load: $REDIS_MAX ms (whole run, warm phase included: $REDIS_TOTAL_MAX ms;"
  row "per-request timeout of the load tool ${LOAD_TIMEOUT} s, so an unanswered request shows as ≥ $((LOAD_TIMEOUT * 1000)) ms and as failed)."
  row "Timelines per second: \`bench/results/raw/$STAMP/faults-*-timeline.csv\`."
  SUMMARY+=("| 5 | provider failing ${OUTAGE_SECONDS} s: failed requests | 0 | $PROVIDER_FAILED | $(verdict "$PROVIDER_FAILED == 0") |")
  SUMMARY+=("| 5 | provider failing: stale answers during the outage | (reported) | $PROVIDER_STALE of $PROVIDER_DOWN_REQ | – |")
  SUMMARY+=("| 5 | provider failing: recovery (last stale answer after it returned) | (reported) | $PROVIDER_RECOVERY ms | – |")
  SUMMARY+=("| 5 | Redis killed ${REDIS_DOWN_SECONDS} s: failed requests | 0 | $REDIS_FAILED | $(verdict "$REDIS_FAILED == 0") |")
  SUMMARY+=("| 5 | Redis killed: slowest answer from the kill to the end (whole run: $REDIS_TOTAL_MAX ms) | ≤ $SLOWEST_GOAL_MS ms | $REDIS_MAX ms | $(verdict "$(num_or "$REDIS_MAX" 1e18) <= $SLOWEST_GOAL_MS") |")
  SUMMARY+=("| 5 | Redis killed: recovery (all replicas ready on Redis again) | (reported) | $READY_MS ms | – |")
  PLOTS+=("faults-provider|Faults: the provider answering 500 for ${OUTAGE_SECONDS} s ($HOT_PAIRS pairs, $REPLICAS replicas, TTL ${SHORT_TTL} s)||||$RAW/faults-provider-events.txt")
  PLOTS+=("faults-redis|Faults: Redis killed for ${REDIS_DOWN_SECONDS} s and restarted empty ($HOT_PAIRS pairs, $REPLICAS replicas)||||$RAW/faults-redis-events.txt")
fi

# ---------------------------------------------------------------------------------------------------- 5b. sentinel
if wants sentinel; then
  # Redis under Sentinel, as CryptoCache.Tests' SentinelCluster runs it: a primary, one replica of it and three
  # sentinels (quorum 2) on free loopback ports, one password on all; the API replicas are given the sentinels.
  SDIR="$RAW/sentinel"; mkdir -p "$SDIR"
  SPASS="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' \n')"
  SP_PRIMARY=$(free_port); SP_REPLICA=$(free_port); SP_SENTINELS=("$(free_port)" "$(free_port)" "$(free_port)")
  SENTINEL_PIDS=()
  srv() { redis-cli -p "$1" -a "$SPASS" --no-auth-warning "${@:2}" 2>/dev/null; }
  start_sentinel_redis() { # port [--replicaof host port]
    redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$SDIR" --dbfilename "dump-$1.rdb" \
      --logfile "$SDIR/redis-$1.log" --requirepass "$SPASS" --masterauth "$SPASS" "${@:2}" >/dev/null 2>&1 &
    SENTINEL_PIDS+=($!); PIDS+=($!)
  }
  start_sentinel_redis "$SP_PRIMARY"; SP_PRIMARY_PID=$!
  start_sentinel_redis "$SP_REPLICA" --replicaof 127.0.0.1 "$SP_PRIMARY"
  for port in "${SP_SENTINELS[@]}"; do
    cat >"$SDIR/sentinel-$port.conf" <<CONF
port $port
bind 127.0.0.1
dir $SDIR
requirepass $SPASS
sentinel sentinel-pass $SPASS
sentinel monitor $SENTINEL_MASTER 127.0.0.1 $SP_PRIMARY 2
sentinel auth-pass $SENTINEL_MASTER $SPASS
sentinel down-after-milliseconds $SENTINEL_MASTER $SENTINEL_DOWN_AFTER_MS
sentinel failover-timeout $SENTINEL_MASTER $SENTINEL_FAILOVER_TIMEOUT_MS
sentinel parallel-syncs $SENTINEL_MASTER 1
CONF
    redis-server "$SDIR/sentinel-$port.conf" --sentinel --logfile "$SDIR/sentinel-$port.log" >/dev/null 2>&1 &
    SENTINEL_PIDS+=($!); PIDS+=($!)
  done
  master_port() { srv "$1" sentinel get-master-addr-by-name "$SENTINEL_MASTER" | sed -n 2p; }
  # Ready when the replica copies the primary and every sentinel knows the replica and the two other sentinels.
  sentinel_ready() {
    srv "$SP_REPLICA" info replication | grep -q '^master_link_status:up' || return 1
    local port
    for port in "${SP_SENTINELS[@]}"; do
      srv "$port" sentinel master "$SENTINEL_MASTER" | awk 'p == "num-slaves" {s = $1} p == "num-other-sentinels" {o = $1} {p = $1} END {exit !(s >= 1 && o >= 2)}' || return 1
    done
  }
  SENTINEL_OK=0
  for _ in $(seq 1 300); do sentinel_ready && { SENTINEL_OK=1; break; }; sleep 0.1; done
  SCONN="127.0.0.1:${SP_SENTINELS[0]},127.0.0.1:${SP_SENTINELS[1]},127.0.0.1:${SP_SENTINELS[2]},serviceName=$SENTINEL_MASTER"
  section "5b. Sentinel failover under load ($HOT_PAIRS pairs seen before, $REPLICAS replicas on a primary + 1 replica + 3 sentinels, quorum 2, down-after $SENTINEL_DOWN_AFTER_MS ms, failover-timeout $SENTINEL_FAILOVER_TIMEOUT_MS ms, TTL ${SHORT_TTL} s, $LOAD_CONCURRENCY connections; primary SIGKILLed ${SENTINEL_KILL_AFTER} s into a ${SENTINEL_KILL_AFTER}+${SENTINEL_AFTER_SECONDS} s load)"
  if [ "$SENTINEL_OK" -ne 1 ]; then
    log "sentinel: the topology did not become ready within 30 s (see $SDIR)"
    row "The Sentinel topology did not become ready within 30 s (logs: \`bench/results/raw/$STAMP/sentinel/\`): not measured."
    SUMMARY+=("| 5b | Sentinel failover: failed requests | 0 | not measured (topology not ready) | **not met** |")
  else
    log "sentinel: primary $SP_PRIMARY, replica $SP_REPLICA, sentinels ${SP_SENTINELS[*]}"
    start_replicas sentinel Provider__MaxCallsPerMinute=$BUDGET_DEFAULT Cache__TtlSeconds=$SHORT_TTL \
      Redis__ConnectionString="$SCONN" Redis__Password="$SPASS"
    for _ in $(seq 1 200); do all_redis_ready && break; sleep 0.1; done
    all_redis_ready || log "sentinel: not every replica ready on Redis before the load"
    for start in 0 100; do
      coins=$(seq -s, -f "coin-%.0f" $((500000 + start)) $((500000 + start + 99)))
      curl -sf "$(api_url 0)/prices?coins=$coins&currencies=usd" -o /dev/null || true
    done
    load_tool load --urls "$(all_api_urls)" --pairs "$HOT_PAIRS" --coin-base 500000 --duration 3 --concurrency "$LOAD_CONCURRENCY" >"$RAW/sentinel-warm.txt"
    log "sentinel: $HOT_PAIRS pairs filled; warm-up answers $(val total.statuses "$RAW/sentinel-warm.txt")"
    events="$RAW/sentinel-events.txt"; : >"$events"
    log "fault: Sentinel primary killed under load"
    load_tool load --urls "$(all_api_urls)" --pairs "$HOT_PAIRS" --coin-base 500000 --duration $((SENTINEL_KILL_AFTER + SENTINEL_AFTER_SECONDS)) \
      --concurrency "$LOAD_CONCURRENCY" --timeout "$LOAD_TIMEOUT" --events "$events" --timeline "$RAW/sentinel-timeline.csv" >"$RAW/sentinel.txt" &
    LOAD_PID=$!
    sleep "$SENTINEL_KILL_AFTER"
    kill -9 "$SP_PRIMARY_PID"; killed=$(now_ms); echo "primary_killed $killed" >>"$events"
    { wait "$SP_PRIMARY_PID"; } 2>/dev/null || true
    # Until the sentinels name the replica as the master, then until every replica's readiness reports Redis Healthy
    # (a check that passed before the promotion could still be the old connection): bounded by 30 s.
    PROMOTED_MS="n/a"; SREADY_MS="n/a"; NOT_READY_SEEN=0
    deadline=$(( killed + 30000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
      if [ "$PROMOTED_MS" = "n/a" ] && [ "$(master_port "${SP_SENTINELS[0]}")" = "$SP_REPLICA" ]; then
        PROMOTED_MS=$(( $(now_ms) - killed )); echo "replica_promoted $((killed + PROMOTED_MS))" >>"$events"
      fi
      if all_redis_ready; then
        if [ "$PROMOTED_MS" != "n/a" ]; then SREADY_MS=$(( $(now_ms) - killed )); echo "all_ready $((killed + SREADY_MS))" >>"$events"; break; fi
      else
        NOT_READY_SEEN=1
      fi
      sleep 0.1
    done
    wait "$LOAD_PID"
    f="$RAW/sentinel.txt"
    row "| phase | seconds | answers | failed | stale | fresh share | p99 ms | max ms | statuses |"
    row "|---|---|---|---|---|---|---|---|---|"
    for phase in start primary_killed replica_promoted all_ready; do
      grep -q "^after.$phase.requests=" "$f" || continue
      row "| after $phase | $(val "after.$phase.seconds" "$f") | $(val "after.$phase.requests" "$f") | $(val "after.$phase.failed" "$f") | $(val "after.$phase.stale" "$f") | $(val "after.$phase.fresh_share" "$f") | $(val "after.$phase.p99_ms" "$f") | $(val "after.$phase.max_ms" "$f") | $(val "after.$phase.statuses" "$f") |"
    done
    S_FAILED=$(val total.failed "$f"); S_TOTAL_MAX=$(val total.max_ms "$f")
    S_MAX=$(max_of "$(val after.primary_killed.max_ms "$f")" "$(val after.replica_promoted.max_ms "$f")" "$(val after.all_ready.max_ms "$f")")
    row ""
    row "The sentinels named the replica as the master $PROMOTED_MS ms after the kill; every replica's readiness reported"
    row "Redis healthy again $SREADY_MS ms after the kill (first poll, every 0.1 s, with the promotion seen; a replica reported"
    row "Redis not healthy in between: $([ "$NOT_READY_SEEN" -eq 1 ] && echo yes || echo no)). Answers: $(val total.requests "$f") ($(val total.statuses "$f")), failed $S_FAILED,"
    row "slowest from the kill to the end $S_MAX ms (whole run $S_TOTAL_MAX ms; load tool timeout ${LOAD_TIMEOUT} s). Timeline:"
    row "\`bench/results/raw/$STAMP/sentinel-timeline.csv\`; Redis and sentinel logs: \`bench/results/raw/$STAMP/sentinel/\`."
    SUMMARY+=("| 5b | Sentinel primary killed under load: failed requests | 0 | $S_FAILED of $(val total.requests "$f") | $(verdict "$(num_or "$S_FAILED" 1e18) == 0") |")
    SUMMARY+=("| 5b | Sentinel failover: kill → every replica ready on Redis (promotion after $PROMOTED_MS ms) | ≤ $READY_GOAL_MS ms | $SREADY_MS ms | $(verdict "$(num_or "$SREADY_MS" 1e18) <= $READY_GOAL_MS") |")
    SUMMARY+=("| 5b | Sentinel failover: slowest answer from the kill to the end (whole run: $S_TOTAL_MAX ms) | ≤ $SLOWEST_GOAL_MS ms | $S_MAX ms | $(verdict "$(num_or "$S_MAX" 1e18) <= $SLOWEST_GOAL_MS") |")
    PLOTS+=("sentinel|Sentinel: primary killed under load ($HOT_PAIRS pairs, $REPLICAS replicas, down-after $SENTINEL_DOWN_AFTER_MS ms)||||$events")
    stop_replicas
  fi
  for pid in "${SENTINEL_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SENTINEL_PIDS[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    { kill -9 "$pid"; wait "$pid"; } 2>/dev/null || true
  done
fi

# ---------------------------------------------------------------------------------------------------- 6. fairness
if wants fairness; then
  # FairShareTests' scene on the replica set: a budget of 6 calls a minute, fair share at its defaults
  # (Clients:MaxColdPairsPerMinute 200, Clients:MaxBudgetShare 0.5); A asks 1000 cold pairs, ten requests of 100 at
  # once over the replicas in turn, then B asks 5 new pairs in one /prices.
  start_replicas fairness Provider__MaxCallsPerMinute=$FAIR_BUDGET
  FDIR="$RAW/fairness"; mkdir -p "$FDIR"
  curl -s -o /dev/null --max-time 10 "$(api_url 0)/currencies" || true
  calls0=$(price_calls)
  log "fairness: client A asks $((FAIR_A_REQUESTS * FAIR_A_COINS_PER_REQUEST)) cold pairs, $FAIR_A_REQUESTS requests at once"
  a_pids=()
  for i in $(seq 0 $((FAIR_A_REQUESTS - 1))); do
    coins=$(seq -s, -f "coin-%.0f" $((1 + i * FAIR_A_COINS_PER_REQUEST)) $(((i + 1) * FAIR_A_COINS_PER_REQUEST)))
    curl -s --max-time 30 -H 'X-Api-Key: a' -D "$FDIR/a-$i.headers" -o "$FDIR/a-$i.json" -w '%{http_code}' \
      "$(api_url $((i % REPLICAS)))/prices?currencies=usd&coins=$coins" >"$FDIR/a-$i.status" 2>/dev/null &
    a_pids+=($!)
  done
  for pid in "${a_pids[@]}"; do wait "$pid" || true; done
  calls_a=$(( $(price_calls) - calls0 ))
  b_coins=$(seq -s, -f "coin-%.0f" 5001 $((5000 + FAIR_B_PAIRS)))
  b_status=$(curl -s --max-time 30 -H 'X-Api-Key: b' -D "$FDIR/b.headers" -o "$FDIR/b.json" -w '%{http_code}' \
    "$(api_url 0)/prices?currencies=usd&coins=$b_coins" 2>/dev/null || true)
  calls_all=$(( $(price_calls) - calls0 ))
  b_prices=$(jq '.prices | length' "$FDIR/b.json" 2>/dev/null || echo 0)
  a_prices=0; a_quota=0; a_429_ra=0; a_5xx=0; a_bad=0; a_statuses=""; retry_afters=""
  for i in $(seq 0 $((FAIR_A_REQUESTS - 1))); do
    st=$(cat "$FDIR/a-$i.status" 2>/dev/null); st=${st:-000}
    a_statuses+="$st"$'\n'
    ra=$(awk 'tolower($1) == "retry-after:" {gsub("\r", "", $2); print $2}' "$FDIR/a-$i.headers" 2>/dev/null | head -n 1)
    case "$st" in
      200) a_prices=$((a_prices + $(jq '.prices | length' "$FDIR/a-$i.json" 2>/dev/null || echo 0)))
           a_quota=$((a_quota + $(jq '[.missing[]? | select(.reason == "quota")] | length' "$FDIR/a-$i.json" 2>/dev/null || echo 0))) ;;
      429) if [[ "$ra" =~ ^[0-9]+$ ]] && [ "$ra" -ge 1 ]; then a_429_ra=$((a_429_ra + 1)); retry_afters+="$ra "; else a_bad=$((a_bad + 1)); fi ;;
      5??) a_5xx=$((a_5xx + 1)); a_bad=$((a_bad + 1)) ;;
      *) a_bad=$((a_bad + 1)) ;;
    esac
  done
  a_by_status=$(printf '%s' "$a_statuses" | sort | uniq -c | awk '{printf "%s%s × %s", (NR > 1 ? ", " : ""), $1, $2}')
  section "6. Fairness ($REPLICAS replicas, Provider__MaxCallsPerMinute=$FAIR_BUDGET, fair share at its defaults: 200 cold pairs a minute and half the budget per client)"
  row "| client | asked | answers | prices | other |"
  row "|---|---|---|---|---|"
  row "| A (\`X-Api-Key: a\`) | $((FAIR_A_REQUESTS * FAIR_A_COINS_PER_REQUEST)) cold pairs, $FAIR_A_REQUESTS × \`/prices\` of $FAIR_A_COINS_PER_REQUEST at once | $a_by_status | $a_prices | $a_quota refused in \`missing\` (quota); $a_429_ra × 429 with Retry-After (${retry_afters:-none}s); 5xx $a_5xx; other $a_bad |"
  row "| B (\`X-Api-Key: b\`), right after | $FAIR_B_PAIRS new pairs, one \`/prices\` | $b_status | $b_prices of $FAIR_B_PAIRS | |"
  row ""
  row "Provider price calls: $calls_a during A's requests, $calls_all with B's (budget $FAIR_BUDGET a minute). Bodies and headers:"
  row "\`bench/results/raw/$STAMP/fairness/\`."
  SUMMARY+=("| 6 | fairness: B's prices after A asked 1000 cold pairs | $FAIR_B_PAIRS of $FAIR_B_PAIRS | $b_prices of $FAIR_B_PAIRS (status $b_status) | $(verdict "\"$b_status\" == \"200\" && $(num_or "$b_prices" 0) == $FAIR_B_PAIRS") |")
  SUMMARY+=("| 6 | fairness: A's answers by status | refusals 429 with Retry-After, no 5xx | $a_by_status ($a_prices prices; 5xx $a_5xx; other $a_bad) | $(verdict "$a_bad == 0") |")
  SUMMARY+=("| 6 | fairness: provider calls (A, then with B) | (reported; budget $FAIR_BUDGET a minute) | $calls_a, $calls_all | – |")
  stop_replicas
fi

# ---------------------------------------------------------------------------------------------------- plots
IMAGES=() # "file.png|caption", written to $RAW
plot_hit() {
  gnuplot <<EOF
set terminal pngcairo size 1200,520 font ",10"
set output "$RAW/hit.png"
set multiplot layout 1,2 title "Hit path: wrk -t1 on one replica and on the ceiling app, medians of $ROUNDS rounds of $SECONDS_PER_RUN s"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -25 nomirror
set grid ytics
set yrange [0:*]
set key top right
set title "throughput (req/s, higher is better)"
plot "$PLOT_HIT" using 2:xtic(1) title "64 connections", "" using 3 title "256 connections"
set title "p99 latency (ms, lower is better)"
plot "$PLOT_HIT" using 4:xtic(1) title "64 connections", "" using 5 title "256 connections"
unset multiplot
EOF
}
# Herd timeline: answers so far against ms since the burst's release, every round (cached burst dashed, herd solid),
# each round's provider call marked where it reached the fake.
plot_herd() {
  local r plots="" colors=('#1f77b4' '#d62728' '#2a9d2a' '#9467bd' '#e6a100' '#17becf' '#8c564b' '#e377c2') c
  for r in $(seq 1 "$HERD_ROUNDS"); do
    [ -s "$RAW/herd-$r-answers.txt" ] || continue
    c=${colors[$(( (r - 1) % ${#colors[@]} ))]}
    awk '$1 == "cached" {n++; print $2, n}' "$RAW/herd-$r-answers.txt" >"$RAW/herd-$r-cached.dat"
    awk '$1 == "herd" {n++; print $2, n}' "$RAW/herd-$r-answers.txt" >"$RAW/herd-$r-herd.dat"
    plots+="${plots:+, }'$RAW/herd-$r-cached.dat' using 1:2 with lines dt 2 lc rgb '$c' notitle"
    plots+=", '$RAW/herd-$r-herd.dat' using 1:2 with lines lw 2 lc rgb '$c' title 'round $r'"
    [ -s "$RAW/herd-$r-calls.txt" ] && plots+=", '$RAW/herd-$r-calls.txt' using 1:(0) with points pt 9 ps 2 lc rgb '$c' notitle"
  done
  [ -n "$plots" ] || return 1
  gnuplot <<EOF
set terminal pngcairo size 1200,450 font ",10"
set output "$RAW/herd.png"
set title "Herd: 300 requests for one uncached pair over $REPLICAS replicas, released together (solid); the same burst on a cached pair just before (dashed).\nTriangles: each round's provider call reaching the fake (latency $PROVIDER_LATENCY_MS ms)." noenhanced
set grid
set key outside right top
set xlabel "ms since the burst was released"
set ylabel "answers so far"
set yrange [-10:*]
set xrange [0:*]
plot $plots
EOF
}
# Miss timeline of one round: every request from sent to answered (one line each, in the order sent), the provider calls
# shaded from their arrival at the fake for the provider's latency, and the floor (count x latency / in flight) marked.
plot_miss() { # round
  local r="$1" req="$RAW/miss-$1-requests.txt" calls="$RAW/miss-$1-calls.txt" objects="" n=0 t floor wall
  [ -s "$req" ] || return 1
  floor=$(( 1000 * PROVIDER_LATENCY_MS / 64 ))
  wall=$(val wall_ms "$RAW/miss-$r.txt")
  if [ -s "$calls" ]; then
    while read -r t; do
      n=$((n + 1))
      objects+="set object $n rect from $t, graph 0 to $((t + PROVIDER_LATENCY_MS)), graph 1 fc rgb '#d62728' fs transparent solid 0.12 noborder behind"$'\n'
    done <"$calls"
  fi
  gnuplot <<EOF
set terminal pngcairo size 1200,500 font ",10"
set output "$RAW/miss.png"
set title "Miss path, round $r: 1000 distinct pairs, 64 in flight, one replica; wall $wall ms, $n provider calls (shaded: each from its arrival at the fake, for $PROVIDER_LATENCY_MS ms).\nEach line: one request, from sent to answered (green: 200, red: otherwise). Dashed: the floor for any service that waits for the provider ($floor ms)." noenhanced
set grid
set xlabel "ms since the first request"
set ylabel "request (in the order sent)"
set yrange [0:1000]
set xrange [0:*]
$objects
set arrow from $floor, graph 0 to $floor, graph 1 nohead dt 2 lc rgb 'black'
plot '$req' using 2:1:(\$3 - \$2):(0):(\$4 == 200 ? 0x2a9d2a : 0xd62728) with vectors nohead lc rgb variable notitle
EOF
}
# Answers per second by status and freshness (and, for "top", the fresh share of the 10 % most-asked pairs); below,
# provider calls (cumulative, and in the preceding 60 s beside the budget) when counted; events as vertical lines.
plot_timeline() { # "name|title|budget|warm-up seconds|top|events file"
  local name title budget warmup top events csv calls start marks="" layout=1 dur x ev at top_plot="" panel2=""
  IFS='|' read -r name title budget warmup top events <<<"$1"
  csv="$RAW/$name-timeline.csv"; calls="$RAW/$name-calls.dat"
  [ -s "$csv" ] || return 0
  start=$(val start_unix_ms "$RAW/$name.txt" 0)
  dur=$(tail -n 1 "$csv" | cut -d, -f1)
  if [ -n "$warmup" ]; then
    marks+="set arrow from $warmup, graph 0 to $warmup, graph 1 nohead dt 2 lc rgb 'gray40'"$'\n'
    marks+="set label 'warm-up' at $warmup, graph 0.97 right offset -0.5,0 font ',8'"$'\n'
  fi
  if [ -n "$events" ] && [ -s "$events" ]; then
    while read -r ev at; do
      x=$(awk -v a="$at" -v s="$start" 'BEGIN {printf "%.1f", (a - s) / 1000}')
      marks+="set arrow from $x, graph 0 to $x, graph 1 nohead dt 3 lc rgb 'black'"$'\n'
      marks+="set label '$ev' at $x, graph 0.97 offset 0.5,0 font ',8' noenhanced"$'\n'
    done <"$events"
  fi
  if [ -n "$top" ]; then
    top_plot=", f skip 1 using 1:(\$11 > 0 ? \$12 / \$11 : 1/0) axes x1y2 with lines lw 2 dt 2 lc rgb '#1f77b4' title 'fresh share, 10 % most-asked (right)'"
  fi
  local budget_plot=""
  [ -n "$budget" ] && budget_plot=", $budget with lines dt 2 lc rgb 'black' title 'budget ($budget in any 60 s)'"
  if [ -s "$calls" ]; then
    layout=2
    panel2="set datafile separator whitespace
unset y2tics
set ytics mirror
set ylabel 'provider calls'
set yrange [0:*]
plot '$calls' using 1:3 with steps lw 2 lc rgb '#d62728' title 'in the preceding 60 s', '' using 1:2 with steps lc rgb 'gray30' title 'cumulative'$budget_plot"
  fi
  gnuplot <<EOF
set terminal pngcairo size 1200,$((layout * 330 + 50)) font ",10"
set output "$RAW/$name.png"
set multiplot layout $layout,1 title "$title" noenhanced
set datafile separator ","
set grid
set key outside right top
set lmargin at screen 0.07
set rmargin at screen 0.74
set offsets 0, 0, graph 0.1, 0
set xrange [0:$((dur + 1))]
set xlabel "seconds since the load began"
set ylabel "answers per second"
set yrange [0:*]
$(if [ -n "$top" ]; then printf 'set y2range [0:1.05]\nset y2tics 0.25\nset ytics nomirror'; fi)
$marks
f = "$csv"
plot f skip 1 using 1:3 with lines lw 2 lc rgb '#2a9d2a' title 'fresh', f skip 1 using 1:4 with lines lw 2 lc rgb '#e6a100' title 'stale', f skip 1 using 1:9 with lines lw 2 lc rgb '#d62728' title '5xx', f skip 1 using 1:8 with lines lc rgb '#9467bd' title '4xx', f skip 1 using 1:10 with lines lc rgb 'black' title 'no answer'$top_plot
$panel2
unset multiplot
EOF
}
if command -v gnuplot >/dev/null 2>&1; then
  if [ -s "$PLOT_HIT" ]; then
    if plot_hit >>"$RAW/gnuplot.log" 2>&1; then IMAGES+=("hit.png|Hit path: req/s and p99 per target (API and ceilings; v3-*: the CoinGecko-compatible route)")
    else log "hit-path plot failed (see gnuplot.log)"; fi
  fi
  if wants herd; then
    if plot_herd >>"$RAW/gnuplot.log" 2>&1 && [ -s "$RAW/herd.png" ]; then IMAGES+=("herd.png|Herd: answers over time, every round, against the same burst on a cached pair")
    else log "herd plot failed (see gnuplot.log)"; fi
  fi
  if wants miss; then
    if plot_miss "$MISS_PLOT_ROUND" >>"$RAW/gnuplot.log" 2>&1 && [ -s "$RAW/miss.png" ]; then IMAGES+=("miss.png|Miss path: every request of the median round, and the provider calls")
    else log "miss plot failed (see gnuplot.log)"; fi
  fi
  for spec in "${PLOTS[@]}"; do
    IFS='|' read -r pname ptitle _ <<<"$spec"
    if plot_timeline "$spec" >>"$RAW/gnuplot.log" 2>&1 && [ -s "$RAW/$pname.png" ]; then IMAGES+=("$pname.png|$ptitle")
    else log "plot $pname failed (see gnuplot.log)"; fi
  done
else
  log "gnuplot not found: no plots"
fi

# ---------------------------------------------------------------------------------------------------- report
LOAD_AFTER="$(cat /proc/loadavg)"
OUT="$RESULTS/$STAMP.md"
{
  echo "# CryptoCache benchmark, $STAMP"
  echo
  echo "Mode: $([ "$QUICK" -eq 1 ] && echo "quick (indicative only)" || echo full); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /'), $(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}'), $(redis-server --version | awk '{print $1, $3}')."
  echo "The load generator shares the cores with the servers: compare ratios measured in the same run, not absolute figures."
  echo "Load average (\`/proc/loadavg\`) before: \`$LOAD_BEFORE\`; after: \`$LOAD_AFTER\`."
  echo
  echo "## Goals"
  echo
  echo "| # | figure | goal | measured | verdict |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${SUMMARY[@]}"
  echo
  if [ ${#IMAGES[@]} -gt 0 ]; then
    echo
    echo "## Plots"
    for image in "${IMAGES[@]}"; do
      echo
      echo "![${image#*|}](@IMG@${image%%|*})"
    done
  fi
  echo
  echo "## Details"
  cat "$REPORT"
} >"$OUT.tmp"
# The dated report points at this run's raw directory (not committed); latest.md at the latest-*.png copied beside it.
sed "s#@IMG@#raw/$STAMP/#g" "$OUT.tmp" >"$OUT"
sed "s#@IMG@#latest-#g" "$OUT.tmp" >"$RESULTS/latest.md"
rm -f "$OUT.tmp" "$RESULTS"/latest-*.png
for image in "${IMAGES[@]}"; do cp "$RAW/${image%%|*}" "$RESULTS/latest-${image%%|*}"; done
echo
cat "$OUT"
echo
log "written $OUT and $RESULTS/latest.md (raw: $RAW)"
