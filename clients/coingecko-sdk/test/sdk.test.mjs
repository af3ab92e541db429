// The official CoinGecko SDK against CryptoCache's CoinGecko-compatible /api/v3: every call must answer exactly
// what the same call answers from the fake CoinGecko the service sits in front of, and once the service has
// answered a call, asking again must cost no provider call.
//
//   API_BASE_URL   the service under test, e.g. http://127.0.0.1:8000/api/v3
//   FAKE_BASE_URL  the fake CoinGecko (dotnet CryptoCache.FakeCoinGecko.dll [port]), e.g. http://127.0.0.1:9000/api/v3;
//                  its counters are at /__fake/stats on the same host.
//
// Pointing both at the fake checks the suite itself; the round-two budget check is then skipped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Coingecko from '@coingecko/coingecko-typescript';

const API_BASE_URL = process.env.API_BASE_URL;
const FAKE_BASE_URL = process.env.FAKE_BASE_URL;
const configured = Boolean(API_BASE_URL && FAKE_BASE_URL);
const sameTarget = configured && trimSlash(API_BASE_URL) === trimSlash(FAKE_BASE_URL);

const WBTC = '0x2260fac5e5542a773aa44fbcfedf7c193bc2c599';
const USDT_ETHEREUM = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const USDC_BSC = '0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d';
const LOAD_TEST_TOKEN = '0x00000000000000000000000000000000abcd0000'; // the fake knows any 0x…0000 address
const PAIR = { ids: 'bitcoin,ethereum', vs_currencies: 'usd,eur' };
const ALL_FLAGS = { include_market_cap: true, include_24hr_vol: true, include_24hr_change: true, include_last_updated_at: true };

/** The calls of both rounds: a name and what to ask a client. */
const calls = [
  ['ping.get()', (cg) => cg.ping.get()],
  ['simple.supportedVsCurrencies.get()', (cg) => cg.simple.supportedVsCurrencies.get()],
  ['simple.price.get(ids, vs_currencies)', (cg) => cg.simple.price.get(PAIR)],
  ['simple.price.get(+include_market_cap)', (cg) => cg.simple.price.get({ ...PAIR, include_market_cap: true })],
  ['simple.price.get(+include_24hr_vol)', (cg) => cg.simple.price.get({ ...PAIR, include_24hr_vol: true })],
  ['simple.price.get(+include_24hr_change)', (cg) => cg.simple.price.get({ ...PAIR, include_24hr_change: true })],
  ['simple.price.get(+include_last_updated_at)', (cg) => cg.simple.price.get({ ...PAIR, include_last_updated_at: true })],
  ['simple.price.get(+every include flag)', (cg) => cg.simple.price.get({ ...PAIR, ...ALL_FLAGS })],
  ...['full', '0', '2', '8'].map((precision) => [
    `simple.price.get(+every include flag, precision ${precision})`,
    (cg) => cg.simple.price.get({ ...PAIR, ...ALL_FLAGS, precision }),
  ]),
  ['simple.price.get(unknown id among known)', (cg) => cg.simple.price.get({ ids: 'bitcoin,not-a-coin', vs_currencies: 'usd' })],
  ['simple.price.get(names)', (cg) => cg.simple.price.get({ names: 'Bitcoin,Wrapped Bitcoin', vs_currencies: 'usd', include_market_cap: true })],
  ['simple.price.get(symbols)', (cg) => cg.simple.price.get({ symbols: 'btc,usdc', vs_currencies: 'usd' })],
  ['simple.price.get(symbols, include_tokens top)', (cg) => cg.simple.price.get({ symbols: 'btc,usdc', include_tokens: 'top', vs_currencies: 'usd,eur' })],
  ['simple.price.get(symbols, include_tokens all)', (cg) => cg.simple.price.get({ symbols: 'btc,usdc', include_tokens: 'all', vs_currencies: 'usd,eur', ...ALL_FLAGS })],
  ['coins.list.get()', (cg) => cg.coins.list.get()],
  ['coins.list.get(include_platform true)', (cg) => cg.coins.list.get({ include_platform: true })],
  ['coins.list.get(include_platform false)', (cg) => cg.coins.list.get({ include_platform: false })],
  ['simple.tokenPrice.getID(ethereum, every include flag)', (cg) => cg.simple.tokenPrice.getID('ethereum', {
    contract_addresses: `${WBTC},${USDT_ETHEREUM.toUpperCase().replace('0X', '0x')},${LOAD_TEST_TOKEN}`,
    vs_currencies: 'usd',
    ...ALL_FLAGS,
  })],
  ['simple.tokenPrice.getID(binance-smart-chain, precision 2)', (cg) => cg.simple.tokenPrice.getID('binance-smart-chain', {
    contract_addresses: USDC_BSC,
    vs_currencies: 'usd,eur',
    include_market_cap: true,
    precision: '2',
  })],
];

/** Calls CoinGecko answers with an error: the service must answer the same status. */
const refusals = [
  ['simple.price.get(without vs_currencies) → 400', (cg) => cg.simple.price.get({ ids: 'bitcoin' })],
  ['simple.tokenPrice.getID(unknown platform) → 404', (cg) => cg.simple.tokenPrice.getID('not-a-chain', { contract_addresses: WBTC, vs_currencies: 'usd' })],
];

/** Counters whose growth means the service asked the provider for prices or the coin list. */
const PROVIDER_COUNTERS = ['priceCalls', 'tokenPriceCalls', 'coinsListCalls'];

function trimSlash(url) {
  return url.replace(/\/+$/, '');
}

function client(baseURL) {
  // baseURL and environment together throw; any key will do for a compatible host, and retries would hide failures.
  return new Coingecko({ baseURL, demoAPIKey: 'dummy-demo-key', maxRetries: 0, timeout: 15_000 });
}

async function fakeStats() {
  const response = await fetch(new URL('/__fake/stats', FAKE_BASE_URL));
  assert.equal(response.status, 200, `GET /__fake/stats on the fake: ${response.status}`);
  return response.json();
}

/** The SDK's answer, or the status it threw with. */
async function refusal(promise) {
  try {
    return { answered: await promise };
  } catch (error) {
    return { status: error.status ?? `no status (${error.name}: ${error.message})` };
  }
}

describe('CoinGecko SDK against CryptoCache /api/v3', { skip: !configured && 'set API_BASE_URL and FAKE_BASE_URL' }, () => {
  let api;
  let fake;
  /** The fake's answer to each call, kept for round two. */
  const expected = new Map();

  before(async () => {
    api = client(API_BASE_URL);
    fake = client(FAKE_BASE_URL);
    await fakeStats(); // fail early, with a clear message, when FAKE_BASE_URL is not the fake
  });

  describe('round one: the service answers as CoinGecko does', () => {
    for (const [name, call] of calls) {
      test(name, async () => {
        const fromFake = await call(fake);
        expected.set(name, fromFake);
        const fromApi = await call(api);
        assert.deepEqual(fromApi, fromFake);
      });
    }

    for (const [name, call] of refusals) {
      test(name, async () => {
        const fromFake = await refusal(call(fake));
        assert.ok(fromFake.status, `the fake refuses: ${JSON.stringify(fromFake)}`);
        assert.deepEqual(await refusal(call(api)), { status: fromFake.status });
      });
    }
  });

  describe('round two: the same calls again', () => {
    let statsBefore;
    const answers = new Map();

    before(async () => {
      statsBefore = await fakeStats();
      for (const [name, call] of calls) {
        answers.set(name, await refusal(call(api)));
      }
    });

    test('answers as in round one', () => {
      for (const [name] of calls) {
        assert.ok(expected.has(name), `round one did not get an answer for ${name}`);
        assert.deepEqual(answers.get(name), { answered: expected.get(name) }, name);
      }
    });

    test('cost no /simple/price, /simple/token_price or /coins/list call at the provider', {
      skip: sameTarget && 'API_BASE_URL is the fake itself, which counts its own calls: point API_BASE_URL at CryptoCache to check this',
    }, async () => {
      const statsAfter = await fakeStats();
      const growth = Object.fromEntries(PROVIDER_COUNTERS.map((counter) => [counter, statsAfter[counter] - statsBefore[counter]]));
      assert.deepEqual(growth, Object.fromEntries(PROVIDER_COUNTERS.map((counter) => [counter, 0])));
    });
  });

  after(() => {
    expected.clear();
  });
});
