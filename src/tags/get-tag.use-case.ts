import { DOMAIN_TABLES_DELETE_ORDER, type DomainTable } from '../db/tables';
import { notFound } from '../errors';
import { encodeIdsCursor, type IdsPosition } from './cursor';
import { toSummary, type TagSummary } from './list-tags.use-case';
import type { GetTagQuery } from './tag-query';
import { countsOfTags, ledgerIds, type TagCountsDeps } from './tag-counts';
import { findTag, idsOfTag } from './tag.repository';

export const IDS_PAGE_SIZE = 1000;

export type TagIds = Record<DomainTable, string[]>;

export interface TagDetail extends TagSummary {
  /** The shop's uuids per table, or a target schema's keys per table (composite ones as JSON arrays). */
  ids?: TagIds | Record<string, string[]>;
  nextCursor?: string | null;
}

export type GetTagDeps = TagCountsDeps;

/** A registered tag's summary and, on request, a page of the ids it owns per table. */
export async function getTag(deps: GetTagDeps, tag: string, query: GetTagQuery): Promise<TagDetail> {
  const { pool } = deps;
  const row = await findTag(pool, tag);
  if (!row) throw notFound(`Tag "${tag}" is not registered (it never was, or it was deleted or expired).`);
  const counts = (await countsOfTags(deps, [tag])).get(tag);
  const summary = toSummary(row, counts);
  if (!query.includeIds) return summary;
  // A target schema's keys come from the ledger: the first page per table (keys are not all uuids, so no shop cursor).
  const fromLedger = await ledgerIds(deps, tag, IDS_PAGE_SIZE);
  if (fromLedger) return { ...summary, ids: fromLedger, nextCursor: null };

  // Without a cursor every table starts at its first id; with one, only the tables it names continue.
  const pages = query.idsAfter
    ? DOMAIN_TABLES_DELETE_ORDER.filter((table) => query.idsAfter![table] !== undefined).map((table) => ({ table, after: query.idsAfter![table] }))
    : DOMAIN_TABLES_DELETE_ORDER.map((table) => ({ table }));
  const found = await idsOfTag(pool, tag, pages, IDS_PAGE_SIZE);

  const ids = Object.fromEntries(DOMAIN_TABLES_DELETE_ORDER.map((table) => [table, [] as string[]])) as TagIds;
  const next: IdsPosition = {};
  for (const [table, list] of found) {
    ids[table] = list.slice(0, IDS_PAGE_SIZE);
    if (list.length > IDS_PAGE_SIZE) next[table] = ids[table][IDS_PAGE_SIZE - 1];
  }
  return { ...summary, ids, nextCursor: Object.keys(next).length > 0 ? encodeIdsCursor(next) : null };
}
