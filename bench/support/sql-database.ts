import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A database of its own on the bench's cluster, loaded from one SQL file, dropped again after. */
export interface LoadedDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createDatabaseFrom(clusterUrl: string, prefix: string, sqlFile: string): Promise<LoadedDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  const loader = new Client({ connectionString: url.toString() });
  await loader.connect();
  await loader.query(fs.readFileSync(sqlFile, 'utf8'));
  await loader.end();
  return {
    url: url.toString(),
    async drop() {
      const dropper = new Client({ connectionString: clusterUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
