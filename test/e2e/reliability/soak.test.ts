import { runSoak } from '../../../bench/soak';

describe('npm run soak (10-second version)', () => {
  test('When 8 workers provision random scenarios under their own tags and delete them for 10 s, then no 5xx, no errors, zero leftovers and the sentinel tag is untouched', async () => {
    const lines: string[] = [];

    // No databaseUrl: the soak starts a throwaway cluster of its own.
    const report = await runSoak({ workers: 8, seconds: 10, log: (line) => lines.push(line) });

    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ errors: 0, serverErrors: 0, leftovers: 0, sentinelIntact: true, ok: true });
    expect(report.requests).toBeGreaterThan(100);
    expect(report.deletedTags).toBeGreaterThan(20);
    expect(report.p99Ms).toBeGreaterThanOrEqual(report.p50Ms);
    expect(lines.join('\n')).toMatch(/requests +\d+[\s\S]*latency +p50 [\d.]+ ms, p99 [\d.]+ ms[\s\S]*leftovers +0[\s\S]*soak: OK/);
  }, 60_000);
});
