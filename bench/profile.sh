#!/usr/bin/env bash
# Where a hit's time and allocations go, layer by layer, in the API and in the MVC ceiling (issue #12's breakdown).
#
#   bash bench/profile.sh                      the API as built from the working tree, and the ceiling
#   bash bench/profile.sh --baseline REF       also the API built from git REF (before/after in one run)
#   bash bench/profile.sh --v3                 the CoinGecko-compatible hit instead (bench/run.sh's v3 request)
#   options: --seconds S (wrk run per measurement, default 10)  --no-build
#
# The ceiling serves the API's own hit answer (read at its start), so both write the same body.
#
# For each target: one replica on a private redis-server (the API) or the ceiling app, warmed (twice, each time until
# its CPU is quiet: the tiered JIT's recompiles done), then three wrk runs of
# `GET /price?coin=bitcoin&currency=usd` at 64 connections: one plain (req/s, CPU µs per request from /proc), one under
# `dotnet-trace --profile gc-verbose` (allocation ticks: bytes allocated per request, by the layer that allocated them),
# one under `--profile dotnet-sampled-thread-time` (the request threads' samples, by layer, scaled to the plain run's
# CPU per request). bench/CryptoCache.Bench.Profile charges each sample to the innermost frame naming a layer.
# Writes bench/results/profile.md (--v3: profile-v3.md; raw traces in bench/results/raw/profile-<date>/, not
# committed). Loopback only, free ports chosen now; everything started is stopped on exit. Timings are noisy on a shared machine: compare the
# targets of one run, and prefer the allocation columns, which do not depend on load.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SECONDS_PER_RUN=10; BUILD=1; BASELINE=""; V3=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --baseline) BASELINE="$2"; shift ;;
    --v3) V3=1 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
for tool in redis-server wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "profile.sh needs $tool (bench/run.sh installs redis-server and wrk)" >&2; exit 1; }
done
TRACE="$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")"
if [ ! -x "$TRACE" ]; then
  log "installing dotnet-trace (dotnet tool install -g)"
  dotnet tool install -g dotnet-trace >/dev/null
fi

STAMP="$(date -u +%Y-%m-%dT%H-%M-%SZ)"; LOAD_BEFORE="$(cat /proc/loadavg)"
RAW="$ROOT/bench/results/raw/profile-$STAMP"; mkdir -p "$RAW"
PIDS=()
cleanup() { local pid; for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${BASE_TREE:-}" ] && git worktree remove --force "$BASE_TREE" 2>/dev/null || true; }
trap cleanup EXIT

if [ "$BUILD" -eq 1 ]; then
  for project in CryptoCache.Api CryptoCache.FakeCoinGecko bench/CryptoCache.Bench.Ceiling bench/CryptoCache.Bench.Profile; do
    log "building $project (Release)"
    dotnet build "$project" -c Release -v q -nologo >"$RAW/build.log" 2>&1 || { cat "$RAW/build.log" >&2; exit 1; }
  done
fi
BASE_DLL=""
if [ -n "$BASELINE" ]; then
  BASE_TREE="$(mktemp -d)/baseline"
  git worktree add -q --detach "$BASE_TREE" "$BASELINE"
  log "building the API at $BASELINE"
  (cd "$BASE_TREE" && dotnet build CryptoCache.Api -c Release -v q -nologo >"$RAW/build-baseline.log" 2>&1) || { cat "$RAW/build-baseline.log" >&2; exit 1; }
  BASE_DLL="$BASE_TREE/CryptoCache.Api/bin/Release/net10.0/CryptoCache.Api.dll"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { local i; for i in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; return 1; }

FAKE_PORT=$(free_port); REDIS_PORT=$(free_port)
dotnet "$ROOT/CryptoCache.FakeCoinGecko/bin/Release/net10.0/CryptoCache.FakeCoinGecko.dll" "$FAKE_PORT" >"$RAW/fake.log" 2>&1 & PIDS+=($!)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$RAW/redis.log" 2>&1 & PIDS+=($!)
wait_http "http://127.0.0.1:$FAKE_PORT/api/v3/ping"

PATH_QUERY="/price?coin=bitcoin&currency=usd"; CEILING_SETTINGS=()
[ "$V3" -eq 1 ] && PATH_QUERY="/api/v3/simple/price?ids=bitcoin,ethereum&vs_currencies=usd,eur" # bench/run.sh's V3_PATH
TARGETS=(api ceiling) # the ceiling serves the API's own body: the API first
[ -n "$BASE_DLL" ] && TARGETS+=(baseline)
declare -A RPS CPU

# Starts a target; prints "pid port".
start_target() {
  local port; port=$(free_port)
  case "$1" in
    ceiling)
      env ASPNETCORE_ENVIRONMENT=Production "${CEILING_SETTINGS[@]}" dotnet "$ROOT/bench/CryptoCache.Bench.Ceiling/bin/Release/net10.0/CryptoCache.Bench.Ceiling.dll" \
        --urls "http://127.0.0.1:$port" >"$RAW/$1.log" 2>&1 & ;;
    *)
      local dll="$ROOT/CryptoCache.Api/bin/Release/net10.0/CryptoCache.Api.dll"; [ "$1" = baseline ] && dll="$BASE_DLL"
      # As bench/run.sh's hit scenario: one replica on Redis, a management port, fair share off.
      env -u REDIS_URL -u CACHE_TTL_SECONDS ASPNETCORE_ENVIRONMENT=Production Redis__ConnectionString="redis://127.0.0.1:$REDIS_PORT" \
        CoinGecko__BaseUrl="http://127.0.0.1:$FAKE_PORT/api/v3/" Management__Port="$(free_port)" \
        Clients__MaxColdPairsPerMinute=0 Clients__MaxBudgetShare=1 dotnet "$dll" --urls "http://127.0.0.1:$port" >"$RAW/$1.log" 2>&1 & ;;
  esac
  echo "$! $port"
}

source "$ROOT/bench/cpu.sh" # cpu_ticks, wait_cpu_quiet
requests_of() { grep -o '[0-9]* requests in' "$1" | awk '{print $1}'; }

for target in "${TARGETS[@]}"; do
  read -r pid port < <(start_target "$target"); PIDS+=("$pid")
  url="http://127.0.0.1:$port$PATH_QUERY"
  wait_http "http://127.0.0.1:$port/health"
  # The first request fills the API's cache; the second, a hit, is the body the ceiling then serves.
  curl -sf -o "$RAW/$target-body.json" "$url"; curl -sf -o "$RAW/$target-body.json" "$url"
  if [ "$target" = api ]; then
    CEILING_SETTINGS=(Ceiling__PriceBodyFile="$RAW/api-body.json"); [ "$V3" -eq 1 ] && CEILING_SETTINGS=(Ceiling__SimplePriceBodyFile="$RAW/api-body.json")
  fi
  log "$target: warming up"
  # Tiered compilation recompiles the hot methods in the background after the first load (0.6 s of CPU for the API
  # after 5 s of wrk): measured before it is done, the API ran slower code and its CPU per request counted the JIT's.
  wrk -t1 -c64 -d5s "$url" >/dev/null
  wait_cpu_quiet "$pid"; log "$target: quiet after $QUIET_WAITED s"
  wrk -t1 -c64 -d3s "$url" >/dev/null
  wait_cpu_quiet "$pid"; log "$target: quiet after $QUIET_WAITED s"
  before=$(cpu_ticks "$pid")
  wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" "$url" >"$RAW/$target-plain.wrk"
  after=$(cpu_ticks "$pid")
  reqs=$(requests_of "$RAW/$target-plain.wrk")
  RPS[$target]=$(grep Requests/sec "$RAW/$target-plain.wrk" | awk '{printf "%.0f", $2}')
  CPU[$target]=$(python3 -c "print(f'{($after - $before) * 10000 / $reqs:.1f}')") # clock ticks of 10 ms → µs per request
  log "$target: ${RPS[$target]} req/s, ${CPU[$target]} µs CPU per request"
  for kind in alloc cpu; do
    profile=$([ "$kind" = alloc ] && echo gc-verbose || echo dotnet-sampled-thread-time)
    "$TRACE" collect -p "$pid" --profile "$profile" --duration "00:00:00:$((SECONDS_PER_RUN + 3))" -o "$RAW/$target-$kind.nettrace" >"$RAW/$target-$kind-trace.log" 2>&1 &
    tracer=$!
    sleep 2
    wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" "$url" >"$RAW/$target-$kind.wrk"
    wait "$tracer"
    weight=$([ "$kind" = alloc ] && requests_of "$RAW/$target-$kind.wrk" || echo "${CPU[$target]}")
    dotnet "$ROOT/bench/CryptoCache.Bench.Profile/bin/Release/net10.0/CryptoCache.Bench.Profile.dll" "$kind" "$RAW/$target-$kind.nettrace" "$weight" >"$RAW/$target-$kind.tsv"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

# One row per layer, a column pair (µs, bytes) per target.
REPORT="$ROOT/bench/results/profile.md"; [ "$V3" -eq 1 ] && REPORT="$ROOT/bench/results/profile-v3.md"
{
  echo "# Where a hit goes: \`GET $PATH_QUERY\`, layer by layer"
  [ "$V3" -eq 1 ] && { echo; echo "The ceiling serves the API's own body for the same route ($(wc -c <"$RAW/api-body.json") bytes; ceiling's: $(wc -c <"$RAW/ceiling-body.json") bytes)."; }
  echo
  echo "Run $STAMP, commit $(git rev-parse --short HEAD)$([ -n "$BASELINE" ] && echo ", baseline \`$BASELINE\` ($(git rev-parse --short "$BASELINE"))"). wrk -t1 -c64, ${SECONDS_PER_RUN} s per measurement, one target at a time."
  echo "Load average before: \`$LOAD_BEFORE\`; after: \`$(cat /proc/loadavg)\`."
  echo
  header="| layer |"; rule="|---|"
  for target in "${TARGETS[@]}"; do header+=" $target µs | $target B |"; rule+="---|---|"; done
  echo "$header"; echo "$rule"
  while IFS= read -r layer; do
    line="| $layer |"
    for target in "${TARGETS[@]}"; do
      us=$(awk -F'\t' -v l="$layer" '$1 == l {print $2}' "$RAW/$target-cpu.tsv"); b=$(awk -F'\t' -v l="$layer" '$1 == l {print $2}' "$RAW/$target-alloc.tsv")
      line+=" ${us:-0} | ${b:-0} |"
    done
    echo "$line"
  done < <(cut -f1 "$RAW/${TARGETS[0]}-alloc.tsv")
  line="| **total** |"
  for target in "${TARGETS[@]}"; do
    line+=" **${CPU[$target]}** | **$(awk -F'\t' '{s += $2} END {printf "%.0f", s}' "$RAW/$target-alloc.tsv")** |"
  done
  echo "$line"
  line="| req/s (plain run) |"
  for target in "${TARGETS[@]}"; do line+=" ${RPS[$target]} | |"; done
  echo "$line"
  echo
  echo "µs: the layer's share of the request threads' samples (dotnet-trace, ~100 Hz a thread) × the CPU per request of the"
  echo "plain run (utime + stime ÷ requests, wrk on the same cores). B: bytes allocated per request (GC allocation ticks,"
  echo "one per ~100 KB, attributed to the stack that allocated). A sample of a thread stopped for a collection (at a GC"
  echo "poll) counts as GC, wherever it stopped: the threads wait while the GC's own threads work, so that row is time the"
  echo "requests lost to collections rather than CPU they spent. Every other sample goes to the innermost layer on its stack"
  echo "(bench/CryptoCache.Bench.Profile/Layers.cs)."
} >"$REPORT"
log "written $REPORT"
