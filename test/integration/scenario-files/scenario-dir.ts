import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'scenarios');

/**
 * A private copy of a fixture scenario folder, so a test can add or break
 * files and reload without touching the committed ones. Removed in afterAll.
 */
export function scenarioDir(fixture: 'chinook' | 'pagila' | 'northwind' | 'saas'): { dir: string; write(name: string, text: string): void; remove(name: string): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `testapi-scenarios-${fixture}-`));
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write: (name, text) => fs.writeFileSync(path.join(dir, name), text),
    remove: (name) => fs.rmSync(path.join(dir, name), { force: true }),
  };
}
