#!/usr/bin/env bash
# Refreshes openapi.json from the API and regenerates src/client.ts from it (npm run generate).
#
#   scripts/regenerate.sh [BASE_URL]
#
# With BASE_URL (or CRYPTOCACHE_URL), the document comes from that running API. Without, the API is built
# and started from this checkout on a free loopback port (no Redis or provider needed to serve the
# document), and stopped afterwards. Needs `npm ci` to have been run in clients/typescript.
set -euo pipefail

client_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$client_dir/../.." && pwd)
url=${1:-${CRYPTOCACHE_URL:-}}

if [[ ! -d "$client_dir/node_modules/nswag" ]]; then
  echo "node_modules missing: run 'npm ci --prefix clients/typescript' first" >&2
  exit 1
fi

if [[ -z "$url" ]]; then
  dotnet build "$root/CryptoCache.Api/CryptoCache.Api.csproj" -c Debug --nologo -v q
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  log=$(mktemp)
  # Management__Port=0: no second listener that could collide with anything else running here.
  Management__Port=0 ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$root/CryptoCache.Api/bin/Debug/net10.0/CryptoCache.Api.dll" --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  api_pid=$!
  trap 'kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; rm -f "$log"' EXIT
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    if node -e 'fetch(process.argv[1] + "/health").then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"; then
      break
    fi
    if ! kill -0 "$api_pid" 2>/dev/null; then
      echo "the API exited:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
fi

node "$client_dir/scripts/fetch-openapi.js" "$url"
cd "$client_dir"
npm run --silent generate
echo "regenerated src/client.ts; review with 'git diff clients/typescript' and commit openapi.json and src/client.ts"
