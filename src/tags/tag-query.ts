import { validationError, type FieldError } from '../errors';
import { decodeIdsCursor, decodeLedgerCursor, decodeTagListCursor, type IdsPosition, type LedgerPosition, type TagListPosition } from './cursor';
import { isValidTag, TAG_FORMAT_MESSAGE, TAG_PREFIX_MESSAGE, TAG_PREFIX_PATTERN } from './tag-name';

/** Query-string and path parsing for the tag endpoints: every mistake is a 400 naming the parameter. */
type Query = Record<string, unknown>;

export function single(query: Query, name: string, errors: FieldError[]): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    errors.push({ path: name, message: `${name} must be given once` });
    return undefined;
  }
  return value;
}

export function rejectUnknown(query: Query, known: readonly string[], errors: FieldError[]): void {
  for (const name of Object.keys(query)) {
    if (!known.includes(name)) errors.push({ path: name, message: `unknown query parameter ${name}; expected one of ${known.join(', ')}` });
  }
}

export function parseTagParam(value: unknown): string {
  if (!isValidTag(value)) throw validationError([{ path: 'tag', message: `tag ${TAG_FORMAT_MESSAGE}` }]);
  return value;
}

export interface DeleteTagQuery {
  /** dependents=delete: also delete rows outside the tag that reference its rows. */
  dependents: 'refuse' | 'delete';
}

export function parseDeleteTagQuery(query: Query): DeleteTagQuery {
  const errors: FieldError[] = [];
  rejectUnknown(query, ['dependents'], errors);
  const dependents = single(query, 'dependents', errors);
  if (dependents !== undefined && dependents !== 'delete') errors.push({ path: 'dependents', message: 'dependents accepts only "delete" (leave it out to refuse when rows outside the tag reference it)' });
  if (errors.length > 0) throw validationError(errors);
  return { dependents: dependents === 'delete' ? 'delete' : 'refuse' };
}

export interface ListTagsQuery {
  limit: number;
  prefix?: string;
  after?: TagListPosition;
}

export const DEFAULT_TAG_PAGE_SIZE = 100;
export const MAX_TAG_PAGE_SIZE = 1000;

export function parseListTagsQuery(query: Query): ListTagsQuery {
  const errors: FieldError[] = [];
  rejectUnknown(query, ['limit', 'cursor', 'prefix'], errors);
  const rawLimit = single(query, 'limit', errors);
  const cursor = single(query, 'cursor', errors);
  const prefix = single(query, 'prefix', errors);

  let limit = DEFAULT_TAG_PAGE_SIZE;
  if (rawLimit !== undefined) {
    limit = /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= MAX_TAG_PAGE_SIZE)) {
      errors.push({ path: 'limit', message: `limit must be a whole number from 1 to ${MAX_TAG_PAGE_SIZE}` });
    }
  }
  let after: TagListPosition | undefined;
  if (cursor !== undefined) {
    after = cursor.length <= 512 ? decodeTagListCursor(cursor) : undefined;
    if (!after) errors.push({ path: 'cursor', message: 'cursor is not a nextCursor this service returned' });
  }
  if (prefix !== undefined && !TAG_PREFIX_PATTERN.test(prefix)) errors.push({ path: 'prefix', message: TAG_PREFIX_MESSAGE });
  if (errors.length > 0) throw validationError(errors);
  return { limit, ...(prefix !== undefined ? { prefix } : {}), ...(after ? { after } : {}) };
}

export interface GetTagQuery {
  includeIds: boolean;
  /** A shop cursor: where each shop table's uuids continue. */
  idsAfter?: IdsPosition;
  /** A target schema's cursor: where each ledger table's keys continue. */
  keysAfter?: LedgerPosition;
}

export const CURSOR_NOT_OURS = 'cursor is not a nextCursor this service returned';

export function parseGetTagQuery(query: Query): GetTagQuery {
  const errors: FieldError[] = [];
  rejectUnknown(query, ['include', 'cursor'], errors);
  const include = single(query, 'include', errors);
  const cursor = single(query, 'cursor', errors);
  if (include !== undefined && include !== 'ids') errors.push({ path: 'include', message: 'include accepts only ids' });
  let after: Pick<GetTagQuery, 'idsAfter' | 'keysAfter'> | undefined;
  if (cursor !== undefined) {
    if (include !== 'ids') {
      errors.push({ path: 'cursor', message: 'cursor pages through ids: send it with include=ids' });
    } else {
      // The two formats cannot be mistaken for each other: a shop cursor's first byte is 1, a ledger cursor's is "{".
      const idsAfter = cursor.length <= 512 ? decodeIdsCursor(cursor) : undefined;
      const keysAfter = idsAfter ? undefined : decodeLedgerCursor(cursor);
      after = idsAfter ? { idsAfter } : keysAfter ? { keysAfter } : undefined;
      if (!after) errors.push({ path: 'cursor', message: CURSOR_NOT_OURS });
    }
  }
  if (errors.length > 0) throw validationError(errors);
  return { includeIds: include === 'ids', ...after };
}

