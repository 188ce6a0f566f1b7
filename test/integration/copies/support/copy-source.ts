import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createFixtureDatabase, dropDatabase, type FixtureName } from '../../../fixtures/schemas/fixtures';
import { assertionPool, databaseUrl } from '../../../support/database';

/** The tables with people in every form (test/fixtures/copies/pii-schema.sql), for the source and the target alike. */
export const PII_SCHEMA = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'copies', 'pii-schema.sql'), 'utf8');
export const PII_RULES_FILE = path.join(__dirname, '..', '..', '..', 'fixtures', 'copies', 'pii-rules.yaml');

export interface CopySource {
  /** The owner's pool, for the test's own writes and reads on the source. */
  pool: Pool;
  /** The URL of a role that may only SELECT. */
  readerUrl: string;
  close(): Promise<void>;
}

/**
 * A source database (a fixture schema, plus `extraSql`) and a login role on it
 * that may only connect and SELECT, as a copy should be given.
 */
export async function createCopySource(fixture: FixtureName, extraSql = ''): Promise<CopySource> {
  const url = await createFixtureDatabase(databaseUrl(), fixture);
  const pool = assertionPool(url, 2);
  if (extraSql) await pool.query(extraSql);
  const reader = `reader_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const database = new URL(url).pathname.slice(1);
  await pool.query(`CREATE ROLE ${reader} LOGIN PASSWORD '${password}'`);
  await pool.query(`GRANT CONNECT ON DATABASE ${database} TO ${reader}`);
  await pool.query(`GRANT USAGE ON SCHEMA public TO ${reader}`);
  await pool.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader}`);
  const readerUrl = new URL(url);
  readerUrl.username = reader;
  readerUrl.password = password;
  return {
    pool,
    readerUrl: readerUrl.toString(),
    async close() {
      await pool.end();
      await dropDatabase(databaseUrl(), url);
      const admin = new Client({ connectionString: databaseUrl() });
      await admin.connect();
      try {
        await admin.query(`DROP ROLE IF EXISTS ${reader}`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Every row of every table of the target, testapi's own schema included, as PostgreSQL prints it. */
export async function everyValue(pool: Pool): Promise<string> {
  const tables = await pool.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname IN ('public', 'testapi')`,
  );
  const texts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await pool.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
    texts.push(...rows.rows.map((row) => row.row));
  }
  return texts.join('\n');
}

/** Which of `values` occur in `text`, ignoring case (PostgreSQL prints a text[] or json with its own quoting, so fragments are searched too). */
export function leaked(text: string, values: readonly string[]): string[] {
  const haystack = text.toLowerCase();
  return values.filter((value) => haystack.includes(value.toLowerCase()));
}
