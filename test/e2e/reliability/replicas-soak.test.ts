import { runReplicaSoak } from '../../../bench/soak-replicas';

describe('npm run soak -- --replicas 3 (20-second version)', () => {
  test('When three service processes share one database behind a round-robin proxy and one is SIGKILLed and restarted midway, then no leftovers (the tags of requests cut by the kill deleted once more), every read-back graph is whole, Idempotency-Keys replay across replicas, sweeper turns never overlap, and the sentinel is untouched', async () => {
    const lines: string[] = [];

    // The soak runs 60 s (npm run soak -- --replicas 3 --seconds 60); the suite keeps 20 s of it.
    const report = await runReplicaSoak({ replicas: 3, workers: 6, seconds: 20, log: (line) => lines.push(line) });

    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ errors: 0, serverErrors: 0, leftovers: 0, sentinelIntact: true, killed: true, sweptTwice: [], ok: true });
    expect(report.wholeTags).toBeGreaterThan(20);
    expect(report.replays).toBeGreaterThan(3);
    expect(report.expiredTags).toBeGreaterThan(5);
    // Every expiring tag was swept, each by exactly one sweep, and more than one replica took turns.
    expect(report.sweptBy.reduce((sum, n) => sum + n, 0)).toBe(report.expiredTags);
    expect(report.sweptBy.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(report.sweeperHoldersMax).toBe(1);
    expect(lines.join('\n')).toMatch(/replica 0 killed \(SIGKILL\)[\s\S]*replica 0 back[\s\S]*soak: OK/);
  }, 120_000);
});
