import fc from 'fast-check';
import type { Pool } from 'pg';
import { encodeIdsCursor, encodeLedgerCursor, MAX_LEDGER_CURSOR_LENGTH } from '../../../src/tags/cursor';
import { ledgerKeysPage } from '../../../src/tags/ledger.repository';
import type { FixtureName } from '../../fixtures/schemas/fixtures';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { fuzzParameters, fuzzTimeout } from '../reliability/support/fuzz';
import { catalogSnapshot, ledgerCounts, tableChecksums } from './support/target-checks';
import { useTargetApp, type TargetApp } from './support/target-app';

type Json = Record<string, any>;

const PAGE = 1000;

/** More than one page of the tag's keys in several tables at once, composite keys among them. */
const GRAPHS: Partial<Record<FixtureName, object>> = {
  // Integer keys (their text orders "10" before "9"); playlist_track's is (playlist_id, track_id).
  chinook: {
    playlist: [{ as: 'mix', playlist_track: [{ count: 1200, connect: { track_id: { ref: 'songs' } } }] }],
    track: [{ as: 'songs', count: 1200 }],
    customer: [{ count: 2100 }],
  },
  // Text keys testapi allocates (varchar(5)); customer_customer_demo's is (customer_id, customer_type_id).
  northwind: { customers: [{ count: 1100, customer_customer_demo: [{ count: 1 }] }] },
};

/** Every table's primary key as GET /tags/{tag} spells it: one column's text, or the columns' texts as a JSON array. */
async function keysInPostgres(pool: Pool, tables: Array<{ name: string; primaryKey: string[] }>): Promise<Record<string, Set<string>>> {
  const keys: Record<string, Set<string>> = {};
  for (const table of tables) {
    const columns = table.primaryKey.map((column) => `t."${column}"::text`).join(', ');
    const key = table.primaryKey.length === 1 ? columns : `json_build_array(${columns})::text`;
    const result = await pool.query<{ key: string }>(`SELECT ${key} AS key FROM public."${table.name}" t`);
    keys[table.name] = new Set(result.rows.map((row) => (table.primaryKey.length === 1 ? row.key : JSON.stringify(JSON.parse(row.key)))));
  }
  return keys;
}

async function modelledTables(target: TargetApp): Promise<Array<{ name: string; primaryKey: string[] }>> {
  const schema = (await http(target.app).get('/schema').expect(200)).body as { tables: Array<{ name: string; primaryKey: string[]; provisionable: boolean }> };
  return schema.tables.filter((table) => table.primaryKey.length > 0);
}

/** The tag's keys per table in the ledger's own order, read straight from PostgreSQL. */
async function ledgerKeys(pool: Pool, tag: string): Promise<Record<string, string[]>> {
  const result = await pool.query<{ table_name: string; pk: string[] }>('SELECT table_name, pk FROM testapi.testapi_row_ledger WHERE tag = $1 ORDER BY table_name, pk', [tag]);
  const keys: Record<string, string[]> = {};
  for (const row of result.rows) (keys[row.table_name.replace(/^public\./, '')] ??= []).push(row.pk.length === 1 ? row.pk[0]! : JSON.stringify(row.pk));
  return keys;
}

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

describe.each(Object.keys(GRAPHS) as FixtureName[])('GET /tags/{tag}?include=ids on %s', (fixture) => {
  const target = useTargetApp(fixture);

  test('When tables hold more than one page of the tag\'s keys, then following nextCursor gives every key exactly once, and together exactly the rows the tag added to PostgreSQL; every pre-existing row is unchanged', async () => {
    const tables = await modelledTables(target);
    const before = await keysInPostgres(target.pool, tables);
    const checksums = await tableChecksums(target.pool);
    const catalog = await catalogSnapshot(target.pool);
    const tag = uniqueTag(`pages-${fixture}`);
    const created = await http(target.app).post('/graphs').send({ tag, seed: 3, graph: GRAPHS[fixture] }).expect(201);
    const counts = created.body.counts as Record<string, number>;
    expect(Math.max(...Object.values(counts))).toBeGreaterThan(PAGE);

    const pages: Json[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/tags/${tag}?include=ids${cursor ? `&cursor=${cursor}` : ''}`;
      const page: Json = (await http(target.app).get(url).expect(200)).body;
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 10);

    // The pages: 1,000 keys per table at most, every table of the tag named on each page ([] once exhausted).
    const deepest = Math.max(...Object.values(counts));
    expect(pages).toHaveLength(Math.ceil(deepest / PAGE));
    for (const [number, page] of pages.entries()) {
      expect(page.counts).toEqual(counts);
      const sizes = Object.fromEntries(Object.entries(page.ids as Record<string, string[]>).map(([table, keys]) => [table, keys.length]));
      expect({ page: number, sizes }).toEqual({ page: number, sizes: Object.fromEntries(Object.entries(counts).map(([table, n]) => [table, Math.min(PAGE, Math.max(0, n - number * PAGE))])) });
    }
    const listed: Record<string, string[]> = Object.fromEntries(Object.keys(counts).map((table) => [table, pages.flatMap((page) => page.ids[table] as string[])]));
    for (const [table, keys] of Object.entries(listed)) expect({ table, repeated: keys.length - new Set(keys).size }).toEqual({ table, repeated: 0 });

    // Together: the keys of the rows the tag added to each table, as PostgreSQL holds them now...
    const after = await keysInPostgres(target.pool, tables);
    const added = Object.fromEntries(
      tables.map((table) => [table.name, [...after[table.name]!].filter((key) => !before[table.name]!.has(key)).sort()] as const).filter(([, keys]) => keys.length > 0),
    );
    expect(Object.fromEntries(Object.entries(listed).map(([table, keys]) => [table, [...keys].sort()]))).toEqual(added);
    // ...in the ledger's key order, and the same rows the 201 answered.
    expect(listed).toEqual(await ledgerKeys(target.pool, tag));
    const primaryKey = new Map(tables.map((table) => [table.name, table.primaryKey]));
    const answered = Object.fromEntries(
      Object.entries(created.body.records as Record<string, Json[]>).map(([table, rows]) => {
        const columns = primaryKey.get(table)!;
        return [table, rows.map((row) => (columns.length === 1 ? String(row[columns[0]!]) : JSON.stringify(columns.map((column) => String(row[column]))))).sort()];
      }),
    );
    expect(answered).toEqual(added);

    const removed = await http(target.app).delete(`/tags/${tag}`).expect(200);
    expect(removed.body.deleted).toEqual(counts);
    expect(await tableChecksums(target.pool)).toEqual(checksums);
    expect(await catalogSnapshot(target.pool)).toEqual(catalog);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
  });

  test('When a page is read, then each table is one index range of the ledger as long as the page, not the whole tag', async () => {
    const tag = uniqueTag(`plan-${fixture}`);
    const created = await http(target.app).post('/graphs').send({ tag, seed: 4, graph: GRAPHS[fixture] }).expect(201);
    const counts = Object.values(created.body.counts as Record<string, number>);
    const first = (await http(target.app).get(`/tags/${tag}?include=ids`).expect(200)).body;
    const position = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString('utf8')).l as Array<[string, string[]]>;

    // The repository's own statements, run under EXPLAIN ANALYZE in testapi's schema.
    const client = await target.pool.connect();
    const plans: Json[] = [];
    try {
      // This test's session only, never the service's: the ledger here holds a few hundred rows, where a sequential scan
      // is rightly the cheapest plan (taken once under load, when autovacuum had just analysed the table). What is
      // checked is that each statement can be served by one index range per table, as on a ledger of millions of rows.
      await client.query('SET search_path TO testapi');
      await client.query('SET enable_seqscan = off');
      const explaining = {
        query: async (text: string, values: unknown[]) => {
          const result = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
          plans.push(result.rows[0]['QUERY PLAN'][0].Plan);
          return { rows: [] };
        },
      };
      await ledgerKeysPage(explaining as never, tag, undefined, PAGE + 1);
      await ledgerKeysPage(explaining as never, tag, position, PAGE + 1);
    } finally {
      // The connection goes back to the pool other tests of this file use.
      await client.query('RESET ALL');
      client.release();
    }

    // What each page may read: a page and one per table (the first also finds the tables, one probe each).
    const firstPage = counts.reduce((sum, n) => sum + Math.min(n, PAGE + 1), 0) + counts.length + 1;
    const secondPage = counts.reduce((sum, n) => sum + Math.min(Math.max(0, n - PAGE), PAGE + 1), 0);
    const whole = counts.reduce((sum, n) => sum + n, 0);
    for (const [plan, bound] of [[plans[0]!, firstPage], [plans[1]!, secondPage]] as const) {
      const scans = nodes(plan).filter((node) => node['Relation Name'] === 'testapi_row_ledger');
      expect(scans.length).toBeGreaterThan(0);
      for (const scan of scans) {
        // Either ledger index: with only this tag in the statistics the planner rightly finds (table_name, pk) as good
        // as the key. What counts is what the scan reads: a page, and no row of another tag filtered out on the way.
        expect([scan['Node Type'], scan['Index Name']]).toEqual([expect.stringMatching(/^Index (Only )?Scan$/), expect.stringMatching(/^(pk_testapi_row_ledger|ix_testapi_row_ledger_row)$/)]);
        expect(scan['Rows Removed by Filter'] ?? 0).toBe(0);
        expect(scan['Actual Rows']).toBeLessThanOrEqual(PAGE + 1);
      }
      // EXPLAIN rounds rows per loop: up to one row per loop either way.
      const read = scans.reduce((sum, scan) => sum + scan['Actual Rows'] * scan['Actual Loops'], 0);
      const rounding = scans.reduce((sum, scan) => sum + scan['Actual Loops'], 0);
      expect(read).toBeLessThanOrEqual(bound + rounding);
      expect(bound + rounding).toBeLessThan(whole);
    }
    await http(target.app).delete(`/tags/${tag}`).expect(200);
  });

  function nodes(plan: Json): Json[] {
    return [plan, ...((plan.Plans as Json[] | undefined) ?? []).flatMap(nodes)];
  }
});

describe('GET /tags/{tag}?include=ids with a forged cursor on a target schema', () => {
  const target = useTargetApp('chinook');

  const real = encodeLedgerCursor([['public.customer', ['1000']]]);
  test.each([
    ['not base64url', '%21%21%21'],
    ['a shop cursor (the other mode\'s format)', encodeIdsCursor({ users: '00000000-0000-4000-8000-000000000000' })],
    ['a real one cut short', real.slice(0, -5)],
    ['JSON that is not the cursor object', b64([1, 2])],
    ['an unknown member', b64({ l: [['public.customer', ['1']]], x: 1 })],
    ['no positions', b64({ l: [] })],
    ['a number for a key column', b64({ l: [['public.customer', [1000]]] })],
    ['an empty key', b64({ l: [['public.customer', []]] })],
    ['a table without its schema', b64({ l: [['customer', ['1']]] })],
    ['a table twice', b64({ l: [['public.customer', ['1']], ['public.customer', ['2']]] })],
    ['a NUL in a key', b64({ l: [['public.customer', ['1\u0000']]] })],
    ['a lone surrogate in a key', b64({ l: [['public.customer', ['\ud800']]] })],
    ['a lone surrogate in a table', b64({ l: [['public.\udc00', ['1']]] })],
    [`more than ${MAX_LEDGER_CURSOR_LENGTH} characters`, b64({ l: [['public.customer', ['9'.repeat(MAX_LEDGER_CURSOR_LENGTH)]]] })],
  ])('When the cursor is %s, then a 400 problem naming cursor, and the tag\'s rows are as they were', async (_case, cursor) => {
    const tag = uniqueTag('forged');
    const created = await http(target.app).post('/graphs').send({ tag, seed: 5, graph: { customer: [{ count: 2 }] } }).expect(201);

    const res = await http(target.app).get(`/tags/${tag}?include=ids&cursor=${cursor}`).expect(400);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:testapi:problem:validation', status: 400, errors: [{ path: 'cursor', message: 'cursor is not a nextCursor this service returned' }] });
    expect(await ledgerCounts(target.pool, tag)).toEqual(created.body.counts);
  });

  test('When any value stands in the cursor\'s shape, then the answer is a page or a 400 naming cursor, never a 5xx', async () => {
    const tag = uniqueTag('fuzzed');
    const created = await http(target.app).post('/graphs').send({ tag, seed: 6, graph: { customer: [{ count: 3 }] } }).expect(201);
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('public.customer', 'public.invoice', '1', '0', ''));
    const shaped = fc.record({ l: fc.array(fc.tuple(text, fc.oneof(fc.array(text, { maxLength: 3 }), fc.jsonValue())), { maxLength: 4 }) });
    const cursors = fc.oneof(shaped.map(b64), fc.jsonValue().map(b64), fc.string({ unit: 'binary' }).map(b64), fc.string().map(encodeURIComponent));

    await fc.assert(
      fc.asyncProperty(cursors, async (cursor) => {
        const res = await http(target.app).get(`/tags/${tag}?include=ids&cursor=${cursor}`);
        if (res.status === 200) expect(Object.keys(res.body.ids).sort()).toEqual(Object.keys(created.body.counts).sort());
        else expect([res.status, res.body.errors]).toEqual([400, [expect.objectContaining({ path: 'cursor' })]]);
      }),
      fuzzParameters(150),
    );
    expect(await ledgerCounts(target.pool, tag)).toEqual(created.body.counts);
  }, fuzzTimeout(150));
});
