import type { SeededRandom } from '../provisioning/seeded-random';
import type { RowTimes } from './value-factory';

/**
 * Each row's created time (issue 28, "time that agrees"): a few minutes
 * before the request's clock, so provisioned rows sort with what the
 * application made just now (page 1 of "newest first"), and every other
 * time of the row can be placed after it. Offsets are whole seconds drawn
 * from the node's own stream: for a seed and body they are the same on any
 * day, and with a pinned clock so are the times.
 */
export const CREATED_WITHIN_SECONDS = 900;

export function rowTimes(clock: number, rows: number, random: SeededRandom): RowTimes {
  const offsets = new Int32Array(rows);
  for (let row = 0; row < rows; row += 1) offsets[row] = random.int(1, CREATED_WITHIN_SECONDS);
  return { clock, created: (row) => clock - offsets[row]! * 1000 };
}
