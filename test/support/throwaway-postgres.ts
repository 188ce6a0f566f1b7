import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processAlive, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';

/**
 * Throwaway PostgreSQL clusters for tests and benchmarks: the service itself
 * only ever starts its one durable cluster (src/db/connect.ts), so this lives
 * beside the harness, not in src/. No Jest globals here: bench/ imports it too.
 */
export type ThrowawayPostgres = EmbeddedPostgres & { destroy(): Promise<void> };

/**
 * Removes throwaway clusters whose run was killed before its teardown. Best
 * effort: other runs (parallel suites) create and remove theirs meanwhile.
 */
export function removeStaleTempClusters(prefix: string): void {
  const tmp = os.tmpdir();
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(prefix)) continue;
    const dir = path.join(tmp, name);
    try {
      // Young folders may be initialising or shutting down right now.
      if (Date.now() - fs.statSync(dir).mtimeMs < 10 * 60_000) continue;
      const pidFile = path.join(dir, 'data', 'postmaster.pid');
      if (fs.existsSync(pidFile) && processAlive(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]))) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* removed or changed by its owner meanwhile */
    }
  }
}

/** A throwaway cluster in a fresh temporary folder (tests, benchmarks). */
export async function startThrowawayPostgres(log?: (message: string) => void): Promise<ThrowawayPostgres> {
  const prefix = 'testapi-pg-';
  removeStaleTempClusters(prefix);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(root, 0o755);
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(root, 'data'), durable: false, log });
  return {
    ...cluster,
    async destroy() {
      await cluster.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
