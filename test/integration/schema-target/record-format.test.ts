import { parseGraphRequest } from '../../../src/graphs/graph-request';
import { presetsFor } from '../../../src/graphs/one-statement';
import { schemaRegistryOf } from '../../../src/schema/schema-registry';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useTargetApp } from './support/target-app';

type Row = Record<string, unknown>;

// Beyond what a JSON number keeps: 2^53 + 1, and 30 significant digits.
const ABOVE_2_53 = '9007199254740993';
const AMOUNT = '12345678901234567890.0123456789';
const MEASURED_AT = '2026-03-01T12:34:56.123456Z';

// Chinook plus two tables of this test's own, in this file's own database (no shared catalog is touched).
const chinook = useTargetApp('chinook', {}, {
  async prepare(pool) {
    await pool.query(`
      CREATE TABLE exact_value (
        exact_value_id bigserial PRIMARY KEY,
        amount numeric(30,10) NOT NULL,
        measured_at timestamptz NOT NULL,
        payload bytea NOT NULL,
        labels text[] NOT NULL
      );
      ALTER SEQUENCE exact_value_exact_value_id_seq RESTART WITH ${ABOVE_2_53};
      CREATE TABLE exact_value_note (
        exact_value_note_id serial PRIMARY KEY,
        exact_value_id bigint NOT NULL REFERENCES exact_value,
        body text NOT NULL
      );`);
  },
});

/**
 * Every column except the keys drawn from sequences (and the foreign keys that copy them), and the e-mails: unique by
 * inference, so salted per request like every unique column.
 */
const SEQUENCE_KEYS = ['artist_id', 'album_id', 'track_id', 'media_type_id', 'genre_id', 'customer_id', 'invoice_id', 'invoice_line_id', 'exact_value_id', 'exact_value_note_id', 'email'];
function withoutKeys(records: Record<string, Row[]>): Record<string, Row[]> {
  return Object.fromEntries(Object.entries(records).map(([table, rows]) => [table, rows.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => !SEQUENCE_KEYS.includes(name))))]));
}

const body = (tag: string): object => ({
  tag,
  seed: 11,
  // Generated times are offsets from the clock: one clock for both paths, so their records can be equal.
  clock: '2026-03-01T12:00:00Z',
  graph: {
    artist: [{ count: 2, album: [{ count: 2, track: [{ count: 1, set: { composer: 'Someone' } }] }] }],
    customer: [{ count: 1, invoice: [{ count: 2, invoice_line: [{ count: 2 }] }] }],
    exact_value: [{ count: 2, set: { amount: AMOUNT, measured_at: MEASURED_AT }, exact_value_note: [{ count: 2 }] }],
  },
});

describe('POST /graphs records: one format whatever the path', () => {
  test('When the same body and seed go once through the one-statement path and once with an Idempotency-Key, then the records are equal, keys from sequences aside', async () => {
    // Without an Idempotency-Key this body takes the one-statement path: the engine finds presets for it.
    const index = await schemaRegistryOf(chinook.db, chinook.config).current();
    expect(presetsFor(parseGraphRequest(body('probe'), index, { maxRows: 10_000, defaultTtlSeconds: 60 }))).toBeDefined();

    const small = await http(chinook.app).post('/graphs').send(body(uniqueTag('fmt-small'))).expect(201);
    const keyed = await http(chinook.app).post('/graphs').set('Idempotency-Key', uniqueTag('fmt-key')).send(body(uniqueTag('fmt-node'))).expect(201);

    expect(withoutKeys(keyed.body.records)).toEqual(withoutKeys(small.body.records));
    // The exact formats, not merely equal ones: numeric and int8 as text, timestamps ISO-8601 UTC with Z.
    for (const res of [small, keyed]) {
      const track = res.body.records.track[0] as Row;
      expect(track.unit_price).toMatch(/^\d+\.\d{2}$/);
      expect(track.milliseconds).toEqual(expect.any(Number));
      const invoice = res.body.records.invoice[0] as Row;
      expect(invoice.total).toMatch(/^\d+\.\d{2}$/);
      expect(invoice.invoice_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
      const exact = res.body.records.exact_value[0] as Row;
      expect(exact.payload).toMatch(/^\\x([0-9a-f]{2})*$/);
      expect(exact.labels).toEqual(expect.arrayContaining([expect.any(String)]));
    }
  });

  test('When a numeric(30,10) is set and an int8 key is drawn above 2^53, then both come back exactly as PostgreSQL stores them, on both paths', async () => {
    const small = await http(chinook.app).post('/graphs').send(body(uniqueTag('fmt-exact'))).expect(201);
    const keyed = await http(chinook.app).post('/graphs').set('Idempotency-Key', uniqueTag('fmt-exact-key')).send(body(uniqueTag('fmt-exact-node'))).expect(201);

    for (const res of [small, keyed]) {
      const values = res.body.records.exact_value as Row[];
      const notes = res.body.records.exact_value_note as Row[];
      const ids = values.map((row) => row.exact_value_id as string);
      expect(ids.every((id) => typeof id === 'string' && BigInt(id) > BigInt(ABOVE_2_53) - 1n)).toBe(true);
      expect(values.map((row) => [row.amount, row.measured_at])).toEqual([
        [AMOUNT, MEASURED_AT],
        [AMOUNT, MEASURED_AT],
      ]);
      expect(notes.map((row) => row.exact_value_id)).toEqual([ids[0], ids[0], ids[1], ids[1]]);

      // As stored in PostgreSQL, compared as text: nothing rounded on the way in or out.
      const stored = await chinook.pool.query<{ id: string; amount: string; at: string; notes: number }>(
        `SELECT v.exact_value_id::text AS id, v.amount::text AS amount,
                to_char(v.measured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
                (SELECT count(*)::int FROM exact_value_note n WHERE n.exact_value_id = v.exact_value_id) AS notes
           FROM exact_value v WHERE v.exact_value_id = ANY($1::bigint[]) ORDER BY v.exact_value_id`,
        [ids],
      );
      expect(stored.rows).toEqual(ids.map((id) => ({ id, amount: AMOUNT, at: MEASURED_AT, notes: 2 })));
    }
  });

  test('When an int8 key above 2^53 from records is given back in set, then the new row references exactly that row; digits out of int8 are a 400', async () => {
    const first = await http(chinook.app).post('/graphs').send({ tag: uniqueTag('fmt-ref'), graph: { exact_value: [{ set: { amount: '1.5' } }] } }).expect(201);
    const id = first.body.records.exact_value[0].exact_value_id as string;

    const tag = uniqueTag('fmt-ref-note');
    const note = await http(chinook.app).post('/graphs').send({ tag, graph: { exact_value_note: [{ count: 2, set: { exact_value_id: id } }] } }).expect(201);
    expect(note.body.counts).toEqual({ exact_value_note: 2 });
    expect(note.body.records.exact_value_note.map((row: Row) => row.exact_value_id)).toEqual([id, id]);
    const stored = await chinook.pool.query('SELECT exact_value_id::text AS id FROM exact_value_note WHERE exact_value_note_id = ANY($1)', [
      note.body.records.exact_value_note.map((row: Row) => row.exact_value_note_id),
    ]);
    expect(stored.rows).toEqual([{ id }, { id }]);

    const tooBig = await http(chinook.app).post('/graphs').send({ tag: uniqueTag('fmt-big'), graph: { exact_value_note: [{ set: { exact_value_id: '9223372036854775808' } }] } }).expect(400);
    expect(JSON.stringify(tooBig.body.errors)).toContain('graph.exact_value_note[0].set.exact_value_id');
    expect(JSON.stringify(tooBig.body.errors)).toContain('out of its range');
  });
});
