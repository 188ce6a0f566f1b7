import fc from 'fast-check';
import request from 'supertest';
import { assertMatchesContract } from '../../support/contract';
import { http } from '../../support/http';
import { useOwnCluster } from '../../support/own-cluster';
import {
  assertSaneAnswer,
  corruptCompressedBody,
  forgedCursor,
  fuzzParameters,
  fuzzTimeout,
  loneSurrogateString,
  nastyJson,
  tableTotals,
  toJsonText,
} from './support/fuzz';

// Compares whole-database totals before and after each case: a cluster of its own.
const own = useOwnCluster();

beforeAll(async () => {
  await http(own.app).post('/scenarios/user').send({ tag: 'fuzz-encodings-1' }).expect(201);
  await http(own.app).post('/scenarios/user').send({ tag: 'fuzz-encodings-2' }).expect(201);
});

describe('Fuzzing the classes JSON, zlib and PostgreSQL reject', () => {
  test(
    'When a gzip, deflate or br body is corrupt, cut short or not compressed at all, then never a 5xx; a refusal is a 400 naming body and writes nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(corruptCompressedBody(JSON.stringify({ tag: 'fuzz-compressed', params: { addresses: 1 } })), async ({ encoding, bytes }) => {
          const before = await tableTotals(own.pool);

          const res = await request(own.app).post('/scenarios/user').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send(bytes);

          assertMatchesContract({ method: 'post', url: '/scenarios/user', status: res.status, contentType: res.headers['content-type'], body: res.body });
          assertSaneAnswer(res, `${encoding} ${bytes.toString('hex').slice(0, 80)}`);
          if (res.status === 201) {
            // A brotli stream has no checksum: a flipped byte can still decode to a valid body.
            await http(own.app).delete(`/tags/${encodeURIComponent(res.body.tag)}`).expect(200);
            return;
          }
          expect(res.status).toBe(400);
          expect(res.body.errors?.map((error: { path: string }) => error.path)).toEqual(expect.arrayContaining([expect.any(String)]));
          expect(await tableTotals(own.pool)).toEqual(before);
        }),
        fuzzParameters(150),
      );
    },
    fuzzTimeout(150),
  );

  test(
    'When a cursor is forged from arbitrary JSON or impossible dates, then GET /tags answers 200 or a 400 naming cursor, never a 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(forgedCursor, async (cursor) => {
          const res = await http(own.app).get(`/tags?cursor=${cursor}&limit=5`);

          assertSaneAnswer(res, `cursor ${cursor}`);
          expect([200, 400]).toContain(res.status);
          if (res.status === 400) expect(res.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
        }),
        fuzzParameters(200),
      );
    },
    fuzzTimeout(200),
  );

  test(
    'When any scenario body carries a lone surrogate somewhere (value or key), then a 400 and nothing is written',
    async () => {
      const withSurrogate = fc
        .tuple(fc.constantFrom('tag', 'params', 'overrides', 'seed', 'other'), nastyJson, loneSurrogateString, fc.boolean())
        .map(([key, value, bad, asKey]) => ({ [key]: asKey ? { [bad]: value } : key === 'overrides' ? { user: { firstName: bad } } : bad }));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('user', 'user-with-orders', 'organization', 'catalog'), withSurrogate, async (scenario, body) => {
          const before = await tableTotals(own.pool);

          const res = await request(own.app).post(`/scenarios/${scenario}`).set('Content-Type', 'application/json').send(toJsonText(body));

          assertMatchesContract({ method: 'post', url: `/scenarios/${scenario}`, requestBody: body, status: res.status, contentType: res.headers['content-type'], body: res.body });
          assertSaneAnswer(res, `${scenario} ${toJsonText(body)}`);
          expect(res.status).toBe(400);
          expect(await tableTotals(own.pool)).toEqual(before);
        }),
        fuzzParameters(150),
      );
    },
    fuzzTimeout(150),
  );
});
