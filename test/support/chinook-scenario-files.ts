import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFixtureDatabase, dropDatabase } from '../fixtures/schemas/fixtures';
import { databaseUrl } from './database';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'scenarios', 'chinook');

export interface ChinookScenarioFiles {
  /** The test file's own Chinook database. */
  readonly url: string;
  /** A copy of the Chinook scenario files the test may change (TESTAPI_SCENARIOS_DIR). */
  readonly dir: string;
}

/**
 * For e2e tests that start the service on a target schema with scenario
 * files: a Chinook database and a scenario folder of the test file's own,
 * created before its tests and removed after them.
 */
export function useChinookScenarioFiles(label: string): ChinookScenarioFiles {
  let url: string | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    url = await createFixtureDatabase(databaseUrl(), 'chinook');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `testapi-${label}-`));
    fs.cpSync(FIXTURES, dir, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (url) await dropDatabase(databaseUrl(), url);
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only there inside the test file's tests (beforeAll)`);
    return value;
  };
  return {
    get url() {
      return ready(url, 'the Chinook database');
    },
    get dir() {
      return ready(dir, 'the scenario folder');
    },
  };
}
