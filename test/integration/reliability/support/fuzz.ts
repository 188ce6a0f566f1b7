import type { Express } from 'express';
import zlib from 'node:zlib';
import fc from 'fast-check';
import type { Pool } from 'pg';
import request, { type Response } from 'supertest';
import { assertMatchesContract } from '../../../support/contract';
import { DOMAIN_TABLES_DELETE_ORDER } from '../../../../src/db/tables';

/**
 * Shared pieces of the fuzz suites. FUZZ_RUNS (set by `npm run fuzz`) raises
 * the number of cases per property; FUZZ_SEED replays a failing run.
 */
export function fuzzRuns(fallback: number): number {
  const raw = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(raw) && raw > 0 ? raw : fallback;
}

export function fuzzParameters<T>(fallbackRuns: number): fc.Parameters<T> {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns: fuzzRuns(fallbackRuns), ...(Number.isInteger(seed) ? { seed } : {}), endOnFailure: true };
}

/** Enough time for `runs` in-process requests with a database check each. */
export function fuzzTimeout(fallbackRuns: number): number {
  return 20_000 + fuzzRuns(fallbackRuns) * 40;
}

const ALL_TABLES = [...DOMAIN_TABLES_DELETE_ORDER, 'test_tags', 'testapi_idempotency_keys'];

/** Rows in every table the service writes; on a cluster of its own, any change is the service's doing. */
export async function tableTotals(pool: Pool): Promise<Record<string, number>> {
  const result = await pool.query<{ table_name: string; n: number }>(
    ALL_TABLES.map((table) => `SELECT '${table}' AS table_name, count(*)::int AS n FROM ${table}`).join(' UNION ALL '),
  );
  return Object.fromEntries(result.rows.map((row) => [row.table_name, row.n]));
}

/** No 5xx; every error a problem+json whose status matches (the contract shape is checked by http()). */
export function assertSaneAnswer(res: Response, what: string): void {
  if (res.status >= 500) throw new Error(`${what} -> ${res.status}: ${res.text.slice(0, 500)}`);
  if (res.status >= 400) {
    if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) {
      throw new Error(`${what} -> ${res.status} with content type ${res.headers['content-type']}`);
    }
    if ((res.body as { status?: unknown }).status !== res.status) throw new Error(`${what} -> problem status ${(res.body as { status?: unknown }).status} != ${res.status}`);
    const text = JSON.stringify(res.body);
    // Nothing internal may leak through an error.
    if (/\bat .+\.(?:js|ts):\d+|node_modules|\/work\/|postgres(?:ql)?:\/\/|SELECT |INSERT INTO|DELETE FROM|violates .* constraint|duplicate key/i.test(text)) {
      throw new Error(`${what} -> ${res.status} leaks internals: ${text.slice(0, 500)}`);
    }
  }
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Strings that break naive code: huge, unicode, SQL, control characters, path tricks. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    "'; DROP TABLE users; --",
    "' OR '1'='1",
    '%',
    '_',
    '\\',
    '../../etc/passwd',
    '\u0000',
    '\uFEFF',
    '𝕿𝖊𝖘𝖙',
    'a'.repeat(65),
    'a'.repeat(64),
    'x'.repeat(10_000),
    'NaN',
    '1e309',
    'null',
    'true',
    ...PROTO_KEYS,
  ),
);

/**
 * Strings with a lone UTF-16 surrogate: valid JSON text ("\ud800"), not valid
 * Unicode, and not storable in PostgreSQL's UTF-8 (pg would write U+FFFD).
 */
export const loneSurrogateString: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 6 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 6 }))
  .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`);

export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -2, max: 200 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, 1, 0.5, 2_147_483_647, 2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER, 1e21, 1e308, 100_001, 10_001),
);

/** Any JSON value, leaning on the shapes and edge cases above. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    loneSurrogateString,
    nastyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...PROTO_KEYS), loneSurrogateString), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A key in a body: mostly ones the service knows, sometimes dangerous or unknown ones. */
export function bodyKey(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
}

/** Objects whose keys come from `known` and whose values are anything, nested one level with `nested` keys. */
export function nearlyValidObject(known: readonly string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(bodyKey(known), value, { maxKeys: known.length + 1 });
}

/** fc.dictionary defines `__proto__` as an own property, so JSON.stringify puts it on the wire. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/**
 * Sends `text` as the raw body with `contentType`, then checks the answer
 * against the contract as http() does. The contract sees the body the server
 * could have understood: nothing for an empty body, the parsed value for JSON
 * media types, the raw text otherwise (which no operation may accept).
 */
export async function rawRequest(
  app: Express,
  method: 'get' | 'post' | 'put' | 'patch' | 'delete',
  url: string,
  text: string,
  headers: Record<string, string>,
): Promise<Response> {
  const res = await request(app)[method](url).set(headers).send(text);
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  let requestBody: unknown = text;
  if (text === '') requestBody = undefined;
  else if (/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) {
    try {
      requestBody = JSON.parse(text) as unknown;
    } catch {
      requestBody = text;
    }
  }
  assertMatchesContract({ method, url, requestBody, status: res.status, contentType: res.headers['content-type'], body: res.body });
  return res;
}

/** A compressed body as a broken client (or an attacker) sends it: not compressed, cut short, or with a flipped byte. */
export function corruptCompressedBody(validJson: string): fc.Arbitrary<{ encoding: 'gzip' | 'br' | 'deflate'; bytes: Buffer }> {
  const compress = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync } as const;
  return fc.constantFrom<'gzip' | 'br' | 'deflate'>('gzip', 'br', 'deflate').chain((encoding) => {
    const valid = compress[encoding](Buffer.from(validJson));
    return fc
      .oneof(
        fc.uint8Array({ minLength: 0, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
        fc.integer({ min: 0, max: valid.length - 1 }).map((cut) => valid.subarray(0, cut)),
        fc.tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
          const flipped = Buffer.from(valid);
          flipped[at] = flipped[at]! ^ xor;
          return flipped;
        }),
      )
      .map((bytes) => ({ encoding, bytes }));
  });
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** created_at-like strings: mostly the cursor's exact format, with impossible fields (Feb 30, 24:00, year 0). */
export const dateLikeString: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.integer({ min: 0, max: 61 }),
      fc.integer({ min: 0, max: 999_999 }),
    )
    .map(([y, mo, d, h, mi, s, us]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(us, 6)}Z`),
  nastyString,
);

/** Cursors a client could forge: base64url of arbitrary JSON, or of the real shape with hostile fields. */
/** The longest forged cursor sent: well past GET /tags' 512, well under what Node's HTTP parser lets through. */
const MAX_FORGED_CURSOR = 8_192;

export const forgedCursor: fc.Arbitrary<string> = fc
  .oneof(nastyJson, fc.record({ c: dateLikeString, t: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/), nastyString, loneSurrogateString) }))
  .map((value) => Buffer.from(toJsonText(value), 'utf8').toString('base64url'))
  // Past Node's 16 KiB request-line limit the HTTP parser answers 431 before any route sees the cursor (round 23
  // drew a 60 KB one): cursors up to 8 KiB, 16 times the documented 512, still test what the service does.
  .filter((cursor) => cursor.length <= MAX_FORGED_CURSOR);
