'use strict';

// Runs the built client (dist/) against a live CryptoCache API whose cache is empty at the start,
// as the NUnit fixture CryptoCache.Tests/Clients/TypeScriptClientTests.cs provides.
// The tests run in order: the first price request must be a cache miss.

const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const { CryptoCacheClient, ApiException } = require('../dist/index.js');

const baseUrl = process.env.CRYPTOCACHE_URL;

describe('CryptoCacheClient against a live API', { timeout: 30_000 }, () => {
  /** @type {import('../dist/index').CryptoCacheClient} */
  let client;

  before(() => {
    // Failing here fails every test: without an API there is nothing to check, and passing would lie.
    assert.ok(baseUrl, 'CRYPTOCACHE_URL is not set: point it at a running CryptoCache API, e.g. CRYPTOCACHE_URL=http://127.0.0.1:8000 npm test');
    // Node's global fetch; the generated client would otherwise look for window.fetch.
    client = new CryptoCacheClient(baseUrl.replace(/\/+$/, ''), { fetch });
  });

  it('getHealth answers Healthy', async () => {
    assert.deepEqual(await client.getHealth(), { status: 'Healthy' });
  });

  it('getPrice asked twice is fetched, then served from the cache', async () => {
    const first = await client.getPrice('bitcoin', 'usd');
    const second = await client.getPrice('bitcoin', 'usd');

    assert.equal(first.coin, 'bitcoin');
    assert.equal(first.currency, 'usd');
    assert.equal(typeof first.price, 'number');
    assert.ok(first.price > 0, `price ${first.price} should be > 0`);
    assert.equal(first.cached, false, 'the first request should miss the cache (is the API\'s cache empty?)');
    assert.equal(second.cached, true, 'the second request should be served from the cache');
    assert.equal(second.price, first.price);
    assert.equal(first.stale, false);
    assert.equal(typeof first.fetchedAt, 'string');
    assert.ok(!Number.isNaN(Date.parse(first.fetchedAt)), `fetchedAt ${first.fetchedAt} should be an ISO 8601 date`);
  });

  it('getPrices returns every pair of two coins in two currencies', async () => {
    const list = await client.getPrices(['bitcoin', 'ethereum'], ['usd', 'eur']);

    const pairs = list.prices.map((p) => `${p.coin}/${p.currency}`).sort();
    assert.deepEqual(pairs, ['bitcoin/eur', 'bitcoin/usd', 'ethereum/eur', 'ethereum/usd']);
    assert.deepEqual(list.missing, []);
    for (const p of list.prices) {
      assert.ok(typeof p.price === 'number' && p.price > 0, `${p.coin}/${p.currency} price ${p.price}`);
    }
  });

  it('getCurrencies contains usd', async () => {
    const list = await client.getCurrencies();

    assert.ok(Array.isArray(list.currencies));
    assert.ok(list.currencies.includes('usd'), `usd not in ${JSON.stringify(list.currencies)}`);
  });

  it('getPrice with an invalid coin throws an ApiException carrying the 400 problem details', async () => {
    await assert.rejects(client.getPrice('b@d', 'usd'), (error) => {
      assert.ok(error instanceof ApiException, `expected an ApiException, got ${error}`);
      assert.ok(error instanceof Error);
      assert.equal(error.status, 400);
      assert.equal(error.result.status, 400);
      assert.ok(Array.isArray(error.result.errors.coin) && error.result.errors.coin.length > 0, JSON.stringify(error.result));
      assert.match(error.headers['content-type'], /^application\/problem\+json/);
      return true;
    });
  });

  it('getPrice with an unknown coin throws an ApiException carrying the 404 problem details', async () => {
    await assert.rejects(client.getPrice('no-such-coin-xyz', 'usd'), (error) => {
      assert.ok(error instanceof ApiException, `expected an ApiException, got ${error}`);
      assert.equal(error.status, 404);
      assert.equal(error.result.status, 404);
      assert.ok(error.result.title, JSON.stringify(error.result));
      return true;
    });
  });
});
