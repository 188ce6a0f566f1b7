import { http } from '../../support/http';
import { useTargetApp } from './support/target-app';

type Json = Record<string, any>;

const pagila = useTargetApp('pagila');

function table(body: Json, name: string): Json {
  const found = body.tables.find((candidate: Json) => candidate.name === name);
  if (!found) throw new Error(`GET /schema has no table ${name}`);
  return found;
}

function column(tableModel: Json, name: string): Json {
  return tableModel.columns.find((candidate: Json) => candidate.name === name);
}

describe('GET /schema on Pagila (target mode)', () => {
  test('When read, then enums, domains with their CHECK, serial keys, arrays, tsvector and triggers are modelled with their generators', async () => {
    const res = await http(pagila.app).get('/schema').expect(200);

    expect(res.body).toMatchObject({ mode: 'target', schemas: ['public'] });
    const film = table(res.body, 'film');
    expect(film).toMatchObject({ primaryKey: ['film_id'], provisionable: true, reason: null, hasTestTag: false });
    expect(column(film, 'film_id')).toMatchObject({ sequence: 'public.film_film_id_seq', generator: { kind: 'sequence', reason: "default: nextval('public.film_film_id_seq')" } });
    expect(column(film, 'rating')).toMatchObject({ enumName: 'mpaa_rating', enumValues: ['G', 'PG', 'PG-13', 'R', 'NC-17'] });
    expect(column(film, 'release_year')).toMatchObject({ domainName: 'year', baseType: 'int4', min: 1901, max: 2155, generator: { kind: 'integer' } });
    expect(column(film, 'special_features')).toMatchObject({ isArray: true, baseType: 'text' });
    expect(column(film, 'fulltext')).toMatchObject({ baseType: 'tsvector', nullable: false, generator: { kind: 'tsvector' } });
    expect(column(film, 'rental_rate')).toMatchObject({ precision: 4, scale: 2, default: '4.99' });
    expect(film.triggers.map((trigger: Json) => trigger.name).sort()).toEqual(['film_fulltext_trigger', 'last_updated']);
    expect(film.foreignKeys).toContainEqual({ name: 'film_language_id_fkey', columns: ['language_id'], references: 'public.language', referencedColumns: ['language_id'], onDelete: 'RESTRICT' });
  });

  test('When read, then composite keys, unique indexes in key order and ON DELETE SET NULL are reported', async () => {
    const res = await http(pagila.app).get('/schema').expect(200);

    expect(table(res.body, 'film_actor').primaryKey).toEqual(['actor_id', 'film_id']);
    expect(table(res.body, 'rental').uniques).toEqual([
      { name: 'idx_unq_rental_rental_date_inventory_id_customer_id', columns: ['rental_date', 'inventory_id', 'customer_id'], predicate: null, kind: 'index' },
    ]);
    expect(table(res.body, 'payment').foreignKeys).toContainEqual(expect.objectContaining({ name: 'payment_rental_id_fkey', onDelete: 'SET NULL' }));
    expect(column(table(res.body, 'customer'), 'email').generator).toEqual({ kind: 'email', reason: 'email: column name, salted per request (unique by inference: the application identifies rows by it)' });
    expect(column(table(res.body, 'customer'), 'email').uniqueBy).toBe('inference');
    expect(column(table(res.body, 'actor'), 'first_name').generator.kind).toBe('first-name');
  });

  test('When the application migrates (a table without a primary key, a partial unique index, a CHECK), then POST /schema/reload shows it and says why the table cannot be provisioned', async () => {
    await pagila.pool.query(`CREATE TABLE audit_note (note text NOT NULL, level text CHECK (level IN ('info', 'warn')))`);
    await pagila.pool.query(`CREATE UNIQUE INDEX uq_actor_last_name_active ON actor (last_name) WHERE first_name <> 'X'`);
    try {
      const res = await http(pagila.app).post('/schema/reload').expect(200);

      expect(table(res.body, 'audit_note')).toMatchObject({ provisionable: false, reason: expect.stringContaining('no primary key') });
      expect(column(table(res.body, 'audit_note'), 'level')).toMatchObject({ allowed: ['info', 'warn'], generator: { kind: 'allowed', reason: 'check: IN list' } });
      expect(table(res.body, 'actor').uniques).toContainEqual({ name: 'uq_actor_last_name_active', columns: ['last_name'], predicate: "(first_name <> 'X'::text)", kind: 'index' });
      expect(column(table(res.body, 'actor'), 'last_name').unique).toBe(true);
    } finally {
      await pagila.pool.query('DROP TABLE audit_note; DROP INDEX uq_actor_last_name_active');
      await http(pagila.app).post('/schema/reload').expect(200);
    }
  });

  test('When read, then testapi’s own state is in its own schema and no table of it shows in the model', async () => {
    const res = await http(pagila.app).get('/schema').expect(200);
    const own = await pagila.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'testapi' ORDER BY table_name`);

    expect(own.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['test_tags', 'testapi_idempotency_keys', 'testapi_migrations', 'testapi_row_ledger']));
    expect(res.body.tables.map((entry: Json) => entry.name)).not.toContain('test_tags');
    const scenarios = await http(pagila.app).get('/scenarios').expect(200);
    expect(scenarios.body).toEqual({ scenarios: [] });
  });
});
