import { DOMAIN_TABLES_DELETE_ORDER, type DomainTable } from '../db/tables';
import { notFound, validationError } from '../errors';
import { encodeIdsCursor, encodeLedgerCursor, MAX_LEDGER_CURSOR_LENGTH, type IdsPosition, type LedgerPosition } from './cursor';
import { liveLedgerCounts } from './ledger-removal';
import { ledgerKeysPage } from './ledger.repository';
import { toSummary, type TagSummary } from './list-tags.use-case';
import { CURSOR_NOT_OURS, type GetTagQuery } from './tag-query';
import { countsOfTags, type TagCountsDeps } from './tag-counts';
import { findTag, idsOfTag, type TagReference } from './tag.repository';

export const IDS_PAGE_SIZE = 1000;
/** Ledger rows up to which GET /tags/{tag} checks each against its table; a larger tag answers the recorded counts (bounded work per request). */
export const LIVE_COUNT_LIMIT = 10_000;

export type TagIds = Record<DomainTable, string[]>;

export interface TagDetail extends TagSummary {
  /** Past its expiresAt: the sweeper deletes it at its next pass, unless something keeps it (then `kept` says what). */
  expired: boolean;
  /**
   * For the row ledger's tables (your schema's): `live` when each recorded row was checked against its table now
   * (counts are the rows still the tag's, `missing` the ones that are not), `recorded` for a tag past LIVE_COUNT_LIMIT.
   */
  countsAre?: 'live' | 'recorded';
  /** Rows the tag created that are no longer its own (deleted, re-keyed or replaced by the application), per table. */
  missing?: Record<string, number>;
  /** Set while the sweeper keeps this expired tag: when it last tried, and every reference that stopped it. */
  kept?: { at: string; references: TagReference[] };
  /** The shop's uuids per table, or a target schema's keys per table (composite ones as JSON arrays). */
  ids?: TagIds | Record<string, string[]>;
  nextCursor?: string | null;
}

export type GetTagDeps = TagCountsDeps;

type IdsPage = Required<Pick<TagDetail, 'ids' | 'nextCursor'>>;

/** A registered tag's summary and, on request, a page of the ids it owns per table. */
export async function getTag(deps: GetTagDeps, tag: string, query: GetTagQuery): Promise<TagDetail> {
  const row = await findTag(deps.pool, tag);
  if (!row) throw notFound(`Tag "${tag}" is not registered (it never was, or it was deleted or expired).`);
  const { counts, live } = await currentCounts(deps, tag);
  const summary: TagDetail = {
    ...toSummary(row, counts),
    expired: row.expired,
    ...live,
    ...(row.kept ? { kept: { at: row.kept.at.toISOString(), references: row.kept.references } } : {}),
  };
  if (!query.includeIds) return summary;
  // A cursor of the other mode's format was not issued here: it cannot say where this listing continues.
  const targetMode = deps.schema?.targetMode === true;
  if (targetMode ? query.idsAfter : query.keysAfter) throw validationError([{ path: 'cursor', message: CURSOR_NOT_OURS }]);
  return { ...summary, ...(targetMode ? await ledgerKeysOfTag(deps, tag, summary.counts, query.keysAfter) : await shopIdsOfTag(deps, tag, query.idsAfter)) };
}

/**
 * The shop's tables count by test_tag, which is always as the rows are now. The ledger records what a
 * graph wrote; the application may have deleted or changed rows since, so up to LIVE_COUNT_LIMIT
 * rows each is checked as DELETE would check it, and the counts say which they are.
 */
async function currentCounts(deps: GetTagDeps, tag: string): Promise<{ counts: Record<string, number> | undefined; live: Pick<TagDetail, 'countsAre' | 'missing'> }> {
  const recorded = (await countsOfTags(deps, [tag])).get(tag);
  if (!deps.schema || !recorded) return { counts: recorded, live: {} };
  const index = await deps.schema.current();
  const ledgerLabels = new Set(index.model.tables.filter((table) => deps.schema!.targetMode || !table.hasTestTag).map((table) => table.label));
  const ledgerTotal = Object.entries(recorded).reduce((sum, [label, n]) => sum + (ledgerLabels.has(label) ? n : 0), 0);
  if (ledgerTotal === 0) return { counts: recorded, live: {} };
  if (ledgerTotal > LIVE_COUNT_LIMIT) return { counts: recorded, live: { countsAre: 'recorded' } };
  const now = await liveLedgerCounts(deps.pool, index, tag);
  const counts = { ...recorded };
  for (const label of new Set([...Object.keys(now.counts), ...Object.keys(now.missing)])) counts[label] = now.counts[label] ?? 0;
  return { counts, live: { countsAre: 'live', ...(Object.keys(now.missing).length > 0 ? { missing: now.missing } : {}) } };
}

async function shopIdsOfTag({ pool }: GetTagDeps, tag: string, after: IdsPosition | undefined): Promise<IdsPage> {
  // Without a cursor every table starts at its first id; with one, only the tables it names continue.
  const pages = after
    ? DOMAIN_TABLES_DELETE_ORDER.filter((table) => after[table] !== undefined).map((table) => ({ table, after: after[table] }))
    : DOMAIN_TABLES_DELETE_ORDER.map((table) => ({ table }));
  const found = await idsOfTag(pool, tag, pages, IDS_PAGE_SIZE);

  const ids = Object.fromEntries(DOMAIN_TABLES_DELETE_ORDER.map((table) => [table, [] as string[]])) as TagIds;
  const next: IdsPosition = {};
  for (const [table, list] of found) {
    ids[table] = list.slice(0, IDS_PAGE_SIZE);
    if (list.length > IDS_PAGE_SIZE) next[table] = ids[table][IDS_PAGE_SIZE - 1];
  }
  return { ids, nextCursor: Object.keys(next).length > 0 ? encodeIdsCursor(next) : null };
}

/**
 * A target schema's keys from the row ledger, paged as the shop's ids are: up to IDS_PAGE_SIZE
 * per table, every table of the tag listed (`[]` once exhausted), a cursor holding where each
 * table with more continues. A single key is its text, a composite one a JSON array.
 */
async function ledgerKeysOfTag(deps: GetTagDeps, tag: string, counts: Record<string, number>, after: LedgerPosition | undefined): Promise<IdsPage> {
  const index = await deps.schema!.current();
  const found = await ledgerKeysPage(deps.pool, tag, after, IDS_PAGE_SIZE + 1);

  const ids: Record<string, string[]> = Object.fromEntries(Object.keys(counts).map((label) => [label, []]));
  const next: LedgerPosition = [];
  for (const [table, keys] of found) {
    const page = keys.slice(0, IDS_PAGE_SIZE);
    ids[index.get(table)?.label ?? table] = page.map((key) => (key.length === 1 ? key[0]! : JSON.stringify(key)));
    if (keys.length > IDS_PAGE_SIZE) next.push([table, page[IDS_PAGE_SIZE - 1]!]);
  }
  if (next.length === 0) return { ids, nextCursor: null };
  const nextCursor = encodeLedgerCursor(next);
  // Never hand out a cursor the next request would refuse: that would strand the listing halfway.
  if (nextCursor.length > MAX_LEDGER_CURSOR_LENGTH) {
    throw new Error(`The ids cursor of tag "${tag}" would be ${nextCursor.length} characters, over ${MAX_LEDGER_CURSOR_LENGTH}: ${next.length} tables with keys this long continue at once`);
  }
  return { ids, nextCursor };
}
