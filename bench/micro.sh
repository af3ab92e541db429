#!/usr/bin/env bash
# Micro-benchmarks of the hit path's pieces (issue #12, "Performance"): BenchmarkDotNet on the real types, wired by the
# API's own registrations without Redis (bench/CryptoCache.Bench.Micro), one short job, allocations per operation.
#
#   bash bench/micro.sh                               every benchmark (a few minutes on 2 cores, after the build)
#   bash bench/micro.sh --filter '*Mediator*'         BenchmarkDotNet arguments instead of --filter '*'
#
# Builds the project (Release), runs it with --job short --join, and writes bench/results/micro.md: a header (date,
# commit, load average before and after the run) and BenchmarkDotNet's GitHub markdown table. BenchmarkDotNet's own
# artifacts (logs, csv, html) go to bench/results/raw/micro/<date>/ (not committed). Nothing listens on a port and
# nothing is sent anywhere: the provider's URL points at the loopback discard port and set-up checks it is never called.
set -euo pipefail
cd "$(dirname "$0")/.."

STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
ARTIFACTS="bench/results/raw/micro/$STAMP"
OUT=bench/results/micro.md
COMMAND="bash bench/micro.sh${*:+ $*}"
if [ $# -gt 0 ]; then ARGS=("$@"); else ARGS=(--filter '*'); fi

# No build servers or MSBuild nodes left running afterwards: other engineers build and benchmark on the same 2 cores.
# BenchmarkDotNet builds a project of its own for each run, with the same environment.
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

dotnet build bench/CryptoCache.Bench.Micro -c Release --disable-build-servers -nologo -v quiet

LOAD_BEFORE=$(loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
dotnet bench/CryptoCache.Bench.Micro/bin/Release/net10.0/CryptoCache.Bench.Micro.dll "${ARGS[@]}" --job short --join --artifacts "$ARTIFACTS"
LOAD_AFTER=$(loadavg)

REPORT=$(find "$ARTIFACTS/results" -name '*-report-github.md' | sort | head -n 1)
[ -n "$REPORT" ] || { echo "no BenchmarkDotNet report in $ARTIFACTS/results" >&2; exit 1; }

COMMIT=$(git rev-parse --short HEAD)
if [ -n "$(git status --porcelain -- . ':!bench/results')" ]; then COMMIT="$COMMIT, with uncommitted changes"; fi

{
  echo "# Micro-benchmarks of the hit path"
  echo
  echo "\`$COMMAND\` — $STARTED, commit $COMMIT, $(nproc) cores."
  echo "Load average (1, 5, 15 min) before the run: $LOAD_BEFORE; after: $LOAD_AFTER. Other builds and benchmarks may"
  echo "share the cores: compare rows of one run with each other, and runs only at a similar load."
  echo
  echo "Each row is one piece of \`GET /price?coin=bitcoin&currency=usd\` answered from the cache, on the real types wired by"
  echo "the API's registrations (\`AddApi\`, \`AddApplication\`, \`AddInfrastructure\`) and its appsettings.json, without Redis"
  echo "(FusionCache's memory level), with bitcoin/usd and the currency list cached. BenchmarkDotNet's short job"
  echo "(3 warm-up and 3 measured iterations, one process per benchmark): indicative figures, see Error and StdDev."
  echo
  echo "- **Handler and resolver**: \`PriceResolver\` is internal to Application and no bench assembly sees its internals, so"
  echo "  it is measured inside the handler (the handler is the pair's parsing, the resolver and the mapping, each of the"
  echo "  other two with a row of its own) and through \`IMediator.Send\` (plus a new query, MediatR and the validation behaviour)."
  echo "- **Validation**: the shortcut trusts the currency set at hand for one second; about once a second the behaviour runs"
  echo "  the validator to renew it, and its row includes that."
  echo "- **HTTP server metrics**: the middleware (internal to the API) is built by type through \`UseMiddleware\`, as \`UseApi\`"
  echo "  does, around a next step that does nothing; the baseline row is the same pipeline without it."
  echo "- **Logging scope**: \`BeginScope\` and its disposal on hosting's logger category, with a state built once; nothing is logged."
  echo "- **Not here**: model binding and the MVC filters (\`SingleQueryValueAttribute\`, \`FreshnessHeadersFilter\`) cannot be run"
  echo "  apart from MVC's action invoker without rebuilding it; the in-process dotnet-trace breakdown of a whole request covers them."
  echo
  cat "$REPORT"
} > "$OUT"
echo "wrote $OUT (BenchmarkDotNet artifacts in $ARTIFACTS)"
