import { parseGraphRequest } from '../../../src/graphs/graph-request';
import { presetsFor } from '../../../src/graphs/one-statement';
import { schemaRegistryOf } from '../../../src/schema/schema-registry';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useTargetApp } from './support/target-app';

type Row = Record<string, unknown>;

// A table of this test's own whose floats PostgreSQL computes from `kind`: `set` takes numbers only, so NaN and ±Infinity get in this way.
const target = useTargetApp('chinook', {}, {
  async prepare(pool) {
    await pool.query(`
      CREATE TABLE float_reading (
        float_reading_id serial PRIMARY KEY,
        kind text NOT NULL,
        reading float8 GENERATED ALWAYS AS (kind::float8) STORED,
        single float4 GENERATED ALWAYS AS (kind::float4) STORED,
        series float8[] GENERATED ALWAYS AS (ARRAY[kind::float8, 0.5, NULL]) STORED
      )`);
  },
});

const KINDS = ['NaN', 'Infinity', '-Infinity', '2.5'];

const body = (tag: string): object => ({ tag, graph: { float_reading: KINDS.map((kind) => ({ set: { kind } })) } });

/** What records must hold for each kind: JSON numbers where JSON has one, PostgreSQL's text where it has none. */
const EXPECTED: Record<string, Row> = {
  NaN: { reading: 'NaN', single: 'NaN', series: ['NaN', 0.5, null] },
  Infinity: { reading: 'Infinity', single: 'Infinity', series: ['Infinity', 0.5, null] },
  '-Infinity': { reading: '-Infinity', single: '-Infinity', series: ['-Infinity', 0.5, null] },
  '2.5': { reading: 2.5, single: 2.5, series: [2.5, 0.5, null] },
};

function byKind(rows: Row[]): Record<string, Row> {
  return Object.fromEntries(rows.map(({ kind, reading, single, series }) => [kind as string, { reading, single, series }]));
}

/** The rows as PostgreSQL stores them, floats as its own text, by kind. */
async function storedByKind(ids: number[]): Promise<Record<string, Row>> {
  const stored = await target.pool.query<{ kind: string; reading: string; single: string; series: string; is_nan: boolean }>(
    `SELECT kind, reading::text AS reading, single::text AS single, series::text AS series, reading = 'NaN'::float8 AS is_nan
       FROM float_reading WHERE float_reading_id = ANY($1::int[])`,
    [ids],
  );
  return Object.fromEntries(stored.rows.map(({ kind, ...values }) => [kind, values]));
}

const STORED: Record<string, Row> = {
  NaN: { reading: 'NaN', single: 'NaN', series: '{NaN,0.5,NULL}', is_nan: true },
  Infinity: { reading: 'Infinity', single: 'Infinity', series: '{Infinity,0.5,NULL}', is_nan: false },
  '-Infinity': { reading: '-Infinity', single: '-Infinity', series: '{-Infinity,0.5,NULL}', is_nan: false },
  '2.5': { reading: '2.5', single: '2.5', series: '{2.5,0.5,NULL}', is_nan: false },
};

describe('POST /graphs records: a float holding NaN or ±Infinity', () => {
  test('When NaN, Infinity and -Infinity are stored in float8, float4 and float8[] columns, then both write paths answer them as PostgreSQL\'s text and finite values as numbers', async () => {
    // Without an Idempotency-Key this body takes the one-statement path (the engine finds presets for it); with one, node by node.
    const index = await schemaRegistryOf(target.db, target.config).current();
    expect(presetsFor(parseGraphRequest(body('probe'), index, { maxRows: 10_000, defaultTtlSeconds: 60 }))).toBeDefined();

    const small = await http(target.app).post('/graphs').send(body(uniqueTag('nan-small'))).expect(201);
    const key = uniqueTag('nan-key');
    const nodeTag = uniqueTag('nan-node');
    const keyed = await http(target.app).post('/graphs').set('Idempotency-Key', key).send(body(nodeTag)).expect(201);

    for (const [path, res] of [['one statement', small], ['node by node', keyed]] as const) {
      const rows = res.body.records.float_reading as Row[];
      expect(rows).toHaveLength(KINDS.length);
      expect({ path, records: byKind(rows) }).toEqual({ path, records: EXPECTED });
      expect({ path, stored: await storedByKind(rows.map((row) => row.float_reading_id as number)) }).toEqual({ path, stored: STORED });
    }

    // The reply kept for the Idempotency-Key answers the same values again.
    const replay = await http(target.app).post('/graphs').set('Idempotency-Key', key).send(body(nodeTag)).expect(201);
    expect(byKind(replay.body.records.float_reading as Row[])).toEqual(EXPECTED);
  });
});
