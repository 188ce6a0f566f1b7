import { randomUUID } from 'node:crypto';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts, tableChecksums } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';

/**
 * Constraints an application declares DEFERRABLE INITIALLY DEFERRED are
 * checked at COMMIT, after every statement of the graph succeeded (issue 26,
 * item 7): the failure there is the caller's rows, so it is a 409 or 422
 * naming the constraint, with nothing written, never a 500.
 */
const target = useTargetApp('conduit', {}, {
  prepare: async (pool) => {
    await pool.query(`
      CREATE TABLE app_code (id serial PRIMARY KEY, code text NOT NULL, CONSTRAINT app_code_code_key UNIQUE (code) DEFERRABLE INITIALLY DEFERRED);
      CREATE TABLE app_link (id serial PRIMARY KEY, code_id integer NOT NULL,
        CONSTRAINT app_link_code_id_fkey FOREIGN KEY (code_id) REFERENCES app_code (id) DEFERRABLE INITIALLY DEFERRED);`);
  },
});

describe('Deferred constraints failing at COMMIT', () => {
  test.each([
    ['without', undefined],
    ['with', randomUUID()],
  ])('When two rows of a graph share a value a deferred unique constraint forbids (%s an Idempotency-Key), then the answer is a 409 naming the constraint and nothing is written', async (_with, key) => {
    const tag = uniqueTag('deferred-unique');
    const before = await tableChecksums(target.pool);
    const request = http(target.app).post('/graphs');
    if (key) request.set('Idempotency-Key', key);
    const res = await request.send({ tag, graph: { app_code: [{ count: 2, set: { code: 'same' } }] } });

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, constraint: 'app_code_code_key', table: 'app_code' });
    expect(res.body.detail).toContain('app_code_code_key');
    expect(await tableChecksums(target.pool)).toEqual(before);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
    if (key) {
      // The key did not keep the failure as an answer: once the rows are valid, the same key writes them.
      const again = await http(target.app).post('/graphs').set('Idempotency-Key', key).send({ tag, graph: { app_code: [{ count: 2 }] } });
      expect(again.status).toBe(201);
      await http(target.app).delete(`/tags/${tag}`).expect(200);
    }
  });

  test('When a row refers to a missing parent through a deferred foreign key, then the answer is a 422 naming the constraint and nothing is written', async () => {
    const tag = uniqueTag('deferred-fk');
    const before = await tableChecksums(target.pool);
    const res = await http(target.app)
      .post('/graphs')
      .send({ tag, graph: { app_link: [{ set: { code_id: 987654 } }] } });

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, constraint: 'app_link_code_id_fkey', table: 'app_link' });
    expect(await tableChecksums(target.pool)).toEqual(before);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
  });
});
