import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startServerProcess } from '../support/server-process';

/** The refusal as startServerProcess reports it: the message with the exit code and every line printed. */
async function refusal(env: Record<string, string>): Promise<string> {
  const outcome = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL!, ...env }).then(
    async (server) => {
      await server.stop();
      return 'it started';
    },
    (error: Error) => error.message,
  );
  return outcome;
}

describe('TESTAPI_TARGET_SCHEMAS at start-up', () => {
  const empty = `empty_${randomBytes(4).toString('hex')}`;
  let admin: Client;
  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${empty}`);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${empty}`);
    await admin.end();
  });

  test('When an entry names no schema of the database, then the service exits 2 with one line naming it and the schemas that hold tables, and creates nothing', async () => {
    const message = await refusal({ TESTAPI_TARGET_SCHEMAS: 'app_misspelt' });

    expect(message).toMatch(/^service exited \(2\) before listening/);
    const line = message.split('\n').filter((text) => text.startsWith('testapi: '));
    expect(line).toHaveLength(1);
    expect(line[0]).toContain('TESTAPI_TARGET_SCHEMAS names "app_misspelt" (no such schema)');
    expect(line[0]).toMatch(/schemas with tables in this database: .*public/);
    const created = await admin.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'app_misspelt'`);
    expect(created.rowCount).toBe(0);
  });

  test('When an entry names a schema without tables, then the service exits 2 naming it as a schema without tables', async () => {
    const message = await refusal({ TESTAPI_TARGET_SCHEMAS: empty });

    expect(message).toMatch(/^service exited \(2\) before listening/);
    expect(message).toContain(`testapi: TESTAPI_TARGET_SCHEMAS names "${empty}" (a schema without tables)`);
    const tables = await admin.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1`, [empty]);
    expect(tables.rows[0].n).toBe(0);
  });
});
