import { DOMAIN_TABLES_INSERT_ORDER, emptyCounts, type DomainTable, type TableCounts } from '../db/tables';
import type { NewRecord, RecordSink, StoredRecord } from './scenario-recipe';
import type { TableSpecs } from './table-specs';

export type Batch = Record<DomainTable, Record<string, unknown>[]>;

export function emptyBatch(): Batch {
  return Object.fromEntries(DOMAIN_TABLES_INSERT_ORDER.map((table) => [table, []])) as unknown as Batch;
}

/**
 * A sink that holds the records a recipe emits, per table, and stamps each
 * with the tag (and created_at once known). Records are completed in place,
 * not copied: bulk graphs add a million of them, and the object the recipe
 * keeps for `data` is the one written.
 */
export class RecordBuffer implements RecordSink {
  // Parents first: the order a reader follows the graph in.
  readonly counts: TableCounts = emptyCounts(DOMAIN_TABLES_INSERT_ORDER);
  protected batch = emptyBatch();
  protected buffered = 0;

  constructor(
    protected readonly specs: TableSpecs,
    protected readonly tag: string,
    /**
     * created_at of every record: one Date object shared by all of them (and
     * by any copy a recipe makes), so that when the time is only known after
     * the write, stampCreatedAt sets it everywhere at once.
     */
    protected readonly createdAt: Date = new Date(Number.NaN),
  ) {}

  add<T extends DomainTable>(table: T, record: NewRecord<T>): StoredRecord<T> {
    const stored = record as unknown as Record<string, unknown>;
    stored.testTag = this.tag;
    if (this.specs[table].hasCreatedAt) stored.createdAt = this.createdAt;
    this.batch[table].push(stored);
    this.counts[table] += 1;
    this.buffered += 1;
    return stored as unknown as StoredRecord<T>;
  }

  async checkpoint(): Promise<void> {
    // Everything is written at once, after the build.
  }

  /** The rows held, per table (parents first). */
  rows(): Batch {
    return this.batch;
  }

  /** Sets created_at of every record (and every copy of one) once the database has said when the graph was written. */
  stampCreatedAt(now: Date): void {
    this.createdAt.setTime(now.getTime());
  }
}
