'use strict';

// Downloads the OpenAPI document from a running CryptoCache API into openapi.json,
// formatted the same way every time (2-space indent, final newline) so diffs show only real changes.
// Usage: node scripts/fetch-openapi.js BASE_URL

const fs = require('node:fs');
const path = require('node:path');

async function main() {
  const baseUrl = process.argv[2];
  if (!baseUrl) {
    throw new Error('usage: node scripts/fetch-openapi.js BASE_URL (e.g. http://127.0.0.1:8000)');
  }

  const url = `${baseUrl.replace(/\/+$/, '')}/swagger/v1/swagger.json`;
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`GET ${url} answered ${response.status}`);
  }

  const document = await response.json();
  const target = path.join(__dirname, '..', 'openapi.json');
  fs.writeFileSync(target, JSON.stringify(document, null, 2) + '\n');
  console.log(`wrote ${target} from ${url}`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
