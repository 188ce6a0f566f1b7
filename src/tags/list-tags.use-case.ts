import type { Pool } from 'pg';
import { emptyCounts, totalOf, type TableCounts } from '../db/tables';
import { encodeTagListCursor } from './cursor';
import type { ListTagsQuery } from './tag-query';
import { countRowsOfTags, listTagRows, type TagRow } from './tag.repository';

export interface ListTagsDeps {
  pool: Pool;
}

export interface TagSummary {
  tag: string;
  createdAt: string;
  expiresAt: string;
  labels: Record<string, string>;
  counts: TableCounts;
  total: number;
}

export interface TagList {
  tags: TagSummary[];
  nextCursor: string | null;
}

export function toSummary(row: TagRow, counts: TableCounts = emptyCounts()): TagSummary {
  return {
    tag: row.tag,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    labels: row.labels,
    counts,
    total: totalOf(counts),
  };
}

/**
 * One page of registered tags, newest first, with their row counts. Counting
 * covers the page's tags only, so a page costs what its tags own, not what
 * the database holds.
 */
export async function listTags(deps: ListTagsDeps, query: ListTagsQuery): Promise<TagList> {
  const { pool } = deps;
  const rows = await listTagRows(pool, { limit: query.limit + 1, prefix: query.prefix, after: query.after });
  const page = rows.slice(0, query.limit);
  const counts = await countRowsOfTags(pool, page.map((row) => row.tag));
  const last = page[page.length - 1];
  return {
    tags: page.map((row) => toSummary(row, counts.get(row.tag))),
    nextCursor: rows.length > query.limit && last ? encodeTagListCursor({ createdAt: last.createdAtExact, tag: last.tag }) : null,
  };
}
