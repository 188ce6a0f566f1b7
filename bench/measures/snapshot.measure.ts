import { performance } from 'node:perf_hooks';
import type { BenchContext } from '../support/context';
import type { RssPeak } from '../support/rss-sampler';
import { checkpoint } from '../support/database';
import { callJson, expectStatus, type ProvisionResult } from '../support/http-client';
import { totalRows } from '../support/graph';

/** About 100,000 rows (bulk-orders writes ~29 rows per user: orders, items, payments, shipments, addresses). */
export const SNAPSHOT_PARAMS = { users: 3_500, ordersPerUser: 5, itemsPerOrder: 3 };

export interface SnapshotRate {
  rows: number;
  ms: number;
  rowsPerSec: number;
}

export interface SnapshotOutcome {
  /** The bulk path writing the same rows (POST /scenarios/bulk-orders): the reference. */
  bulk: SnapshotRate;
  /** GET /tags/{tag}/export, JSON, to the last byte. */
  exported?: SnapshotRate & { bytes: number; rss: RssPeak };
  /** GET /tags/{tag}/export as NDJSON. */
  ndjson?: SnapshotRate;
  /** POST /tags/{tag}/import of that JSON under a new tag. */
  imported?: SnapshotRate;
}

const rate = (rows: number, ms: number): SnapshotRate => ({ rows, ms, rowsPerSec: rows / (ms / 1000) });

async function timedText(url: string, init: RequestInit): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

/**
 * A 100,000-row tag provisioned through the bulk path, exported (JSON and
 * NDJSON) and imported under a new tag, each timed once: rows/s beside the
 * bulk path's. The tags are deleted at the end.
 */
export async function measureSnapshot(context: BenchContext): Promise<SnapshotOutcome> {
  const { url } = context.service;
  const tag = `${context.tagPrefix}-snap`;
  const copy = `${context.tagPrefix}-snap-copy`;
  try {
    await checkpoint(context.db.pool);
    const provisioned = expectStatus(await callJson<ProvisionResult>('POST', `${url}/scenarios/bulk-orders`, { tag, seed: 3, params: SNAPSHOT_PARAMS }), 201, 'snapshot: bulk-orders');
    const rows = totalRows(provisioned.body.counts);
    const outcome: SnapshotOutcome = { bulk: rate(rows, provisioned.ms) };
    context.log(`snapshot: bulk-orders wrote ${rows.toLocaleString('en-US')} rows in ${Math.round(provisioned.ms)} ms`);

    // The service's memory during the export: a cursor streams the rows, so it should not grow with the tag.
    context.rss.reset();
    const exported = await timedText(`${url}/tags/${tag}/export`, { headers: { accept: 'application/json' } });
    if (exported.status !== 200) throw new Error(`snapshot: export answered ${exported.status}: ${exported.text.slice(0, 500)}`);
    outcome.exported = { ...rate(rows, exported.ms), bytes: Buffer.byteLength(exported.text), rss: context.rss.peak() };
    context.log(`snapshot: export of ${rows.toLocaleString('en-US')} rows (${(outcome.exported.bytes / 2 ** 20).toFixed(1)} MiB) in ${Math.round(exported.ms)} ms`);

    const ndjson = await timedText(`${url}/tags/${tag}/export`, { headers: { accept: 'application/x-ndjson' } });
    if (ndjson.status !== 200) throw new Error(`snapshot: NDJSON export answered ${ndjson.status}`);
    outcome.ndjson = rate(rows, ndjson.ms);

    await checkpoint(context.db.pool);
    const imported = await timedText(`${url}/tags/${copy}/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: exported.text });
    if (imported.status !== 201) throw new Error(`snapshot: import answered ${imported.status}: ${imported.text.slice(0, 500)}`);
    outcome.imported = rate(rows, imported.ms);
    context.log(`snapshot: import of ${rows.toLocaleString('en-US')} rows in ${Math.round(imported.ms)} ms`);
    return outcome;
  } finally {
    for (const remove of [tag, copy]) await callJson('DELETE', `${url}/tags/${remove}`).catch(() => undefined);
  }
}
