#!/usr/bin/env bash
# Runs every test: unit, integration (real redis-server, real Kestrel, fake CoinGecko on loopback), deploy/
# validation and the TypeScript client. Installs what is missing first, then prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (apt)..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x clients/typescript/node_modules/.bin/tsc ]; then
  echo "Installing the TypeScript client's npm packages..."
  npm ci --prefix clients/typescript --no-audit --no-fund --loglevel=error
fi

if [ ! -d clients/coingecko-sdk/node_modules/@coingecko/coingecko-typescript ]; then
  echo "Installing the CoinGecko SDK suite's npm packages..."
  npm ci --prefix clients/coingecko-sdk --no-audit --no-fund --loglevel=error
fi

results="$(mktemp -d)"
status=0
# Normal console verbosity shows each test and the figures the engine tests print (herd, batching, outage).
dotnet test CryptoCache.sln -c Release --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" || status=$?

trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total="$(count total)"; executed="$(count executed)"; passed="$(count passed)"; failed="$(count failed)"
  failed=$((failed + $(count error) + $(count timeout) + $(count aborted)))
  echo "$passed passed, $failed failed, $((total - executed)) skipped"
  if [ "$executed" -eq 0 ]; then
    status=1
  fi
else
  echo "0 passed, 1 failed (the build or the test host failed before any result was written)"
  status=1
fi
exit "$status"
