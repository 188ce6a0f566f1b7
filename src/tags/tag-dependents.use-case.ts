import { notFound, validationError, type FieldError } from '../errors';
import type { Queryable } from '../db/transaction';
import type { SchemaRegistry } from '../schema/schema-registry';
import { listDependents, type ListedDependents } from './ledger-removal';
import { rejectUnknown, single } from './tag-query';
import { findTag } from './tag.repository';

/**
 * GET /tags/{tag}/dependents (issue 31): per table, the rows outside the tag
 * that reference its rows, transitively, with the referencing key: exactly
 * what DELETE /tags/{tag}?dependents=delete would delete (`deletable`
 * false: rows outside the target schemas, which stop that delete instead).
 * A test can assert on it: after a checkout, one orders row references the
 * provisioned user. Read only.
 */
export const DEPENDENTS_LIST_DEFAULT = 100;
export const DEPENDENTS_LIST_MAX = 1_000;

export interface TagDependents {
  tag: string;
  dependents: ListedDependents['tables'];
}

export interface TagDependentsDeps {
  pool: Queryable;
  schema?: SchemaRegistry;
}

export function parseDependentsQuery(query: Parameters<typeof single>[0]): { limit: number } {
  const errors: FieldError[] = [];
  rejectUnknown(query, ['limit'], errors);
  const raw = single(query, 'limit', errors);
  const limit = raw === undefined ? DEPENDENTS_LIST_DEFAULT : /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= DEPENDENTS_LIST_MAX)) errors.push({ path: 'limit', message: `limit must be a whole number from 1 to ${DEPENDENTS_LIST_MAX} (rows listed per table; totals count them all)` });
  if (errors.length > 0) throw validationError(errors);
  return { limit };
}

export async function tagDependents(deps: TagDependentsDeps, tag: string, query: { limit: number }): Promise<TagDependents> {
  if (!(await findTag(deps.pool, tag))) throw notFound(`Tag "${tag}" is not registered.`);
  // The shop's tables hold their rows by test_tag, not in the ledger: the walk starts from the ledger's rows.
  if (!deps.schema) return { tag, dependents: {} };
  const index = await deps.schema.current();
  const { tables } = await listDependents(deps.pool, index, tag, query.limit);
  return { tag, dependents: tables };
}
