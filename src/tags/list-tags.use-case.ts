import { emptyCounts } from '../db/tables';
import { encodeTagListCursor } from './cursor';
import type { ListTagsQuery } from './tag-query';
import { countsOfTags, type TagCountsDeps } from './tag-counts';
import { listTagRows, type TagRow } from './tag.repository';

export type ListTagsDeps = TagCountsDeps;

export interface TagSummary {
  tag: string;
  createdAt: string;
  expiresAt: string;
  labels: Record<string, string>;
  /** Rows per table: the shop's nine tables, or the target schema's tables the tag has rows in. */
  counts: Record<string, number>;
  total: number;
}

export interface TagList {
  tags: TagSummary[];
  nextCursor: string | null;
}

export function toSummary(row: TagRow, counts: Record<string, number> = emptyCounts()): TagSummary {
  return {
    tag: row.tag,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    labels: row.labels,
    counts,
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
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
  const counts = await countsOfTags(deps, page.map((row) => row.tag));
  const last = page[page.length - 1];
  return {
    tags: page.map((row) => toSummary(row, counts.get(row.tag))),
    nextCursor: rows.length > query.limit && last ? encodeTagListCursor({ createdAt: last.createdAtExact, tag: last.tag }) : null,
  };
}
