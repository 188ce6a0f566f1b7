import { AppError, conflict, validationError } from '../errors';
import { sqlState } from '../db/errors';
import type { TableModel } from '../schema/schema-model';
import { NodeWriteError } from './graph-writer';
import { PerRowValue } from './per-row-values';

interface PgFields {
  message?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

/** Data exceptions (22), integrity violations (23), a trigger's RAISE (P0): PostgreSQL refused the values. */
const REFUSED_CLASSES = ['22', '23', 'P0'];

/**
 * What PostgreSQL refused while a graph was written, as the caller's problem:
 * 409 for a unique collision (retry, or change the value given in set), 422
 * for anything else it rejected, naming table, column and constraint with
 * PostgreSQL's own message (never the SQL, never the failing row). Errors
 * that are not about the values (connection lost, timeout) pass through
 * unwrapped, so the usual 503 handling applies.
 */
/** PostgreSQL refused the values of a node (as opposed to a lost connection, a timeout...). */
export function isRefusal(error: unknown): boolean {
  if (!(error instanceof NodeWriteError)) return false;
  const state = sqlState(error.cause);
  return state !== undefined && REFUSED_CLASSES.some((prefix) => state.startsWith(prefix));
}

export function graphWriteProblem(error: unknown): unknown {
  if (!(error instanceof NodeWriteError)) return error;
  const cause = error.cause;
  const state = sqlState(cause);
  if (!state || !REFUSED_CLASSES.some((prefix) => state.startsWith(prefix))) return cause;
  const fields = cause as PgFields;
  const table = error.node.table.label;
  const where = [`table ${table}`, fields.column ? `column ${fields.column}` : undefined, fields.constraint ? `constraint ${fields.constraint}` : undefined]
    .filter(Boolean)
    .join(', ');
  const extensions = { table, column: fields.column ?? null, constraint: fields.constraint ?? null, node: error.node.path };
  const involved = constraintColumns(error.node.table, fields);
  const given = involved.filter((column) => Object.hasOwn(error.node.set, column));
  const missing = state === '23503' ? missingSetParent(error, fields) : undefined;
  if (missing) return missing;
  if (state === '23505') {
    // Every column of the unique constraint fixed by set on a node of several rows: the request collides with itself.
    // A value per row repeats within the request when it has fewer values than rows (oneOf of two over three rows).
    const constant = given.every((column) => {
      const value = error.node.set[column];
      return !(value instanceof PerRowValue) || value.repeatsOver(error.node.rows);
    });
    const withinRequest = involved.length > 0 && given.length === involved.length && error.node.rows > 1 && constant;
    const advice = withinRequest
      ? `The value given in set for ${list(given)} repeats on all ${error.node.rows} rows of ${error.node.path}: give count 1, or leave ${list(given)} to testapi.`
      : given.length > 0
        ? `Change the value given in set for ${list(given)}.`
        : 'Retry for new generated values, or give the value in set.';
    const collidesWith = withinRequest ? 'another row of the same request' : 'an existing row';
    return conflict(`A value of ${where} is already used by ${collidesWith}; nothing was written. ${advice}`, undefined, {
      ...extensions,
      collision: withinRequest ? 'within-request' : 'existing-row',
    });
  }
  const advice = given.length > 0 ? `Change the value given in set for ${list(given)}.` : 'Give the value in set to choose it yourself.';
  return new AppError({
    type: 'graph-rejected',
    title: 'PostgreSQL cannot take these rows',
    status: 422,
    detail: `PostgreSQL rejected a row of ${where} (${error.node.path}): ${fields.message ?? 'rejected'}. Nothing was written. ${advice}`,
    extensions,
  });
}

/**
 * A foreign key `set` gave that names no row (PostgreSQL's 23503 on this
 * node's own key): the request's mistake, so a 400 naming each column and
 * the key, not a 422 about the database.
 */
function missingSetParent(error: NodeWriteError, fields: PgFields): AppError | undefined {
  const fk = error.node.table.foreignKeys.find((candidate) => candidate.name === fields.constraint);
  if (!fk || !fk.columns.every((column) => Object.hasOwn(error.node.set, column))) return undefined;
  const key = fk.columns.map((column) => JSON.stringify(error.node.set[column])).join(', ');
  const referenced = fk.references.split('.').pop();
  return validationError(
    fk.columns.map((column) => ({
      path: `${error.node.path}.set.${column}`,
      message: `${error.node.table.label}.${column} = ${JSON.stringify(error.node.set[column])} names no row of ${referenced} (${fk.name}: key ${fk.referencedColumns.join(', ')} = ${key}); set it to an existing row's key, or leave it out`,
    })),
    `The request is invalid: ${fk.name} of ${error.node.path} points at no existing row of ${referenced}. Nothing was written.`,
  );
}

/** The columns PostgreSQL's error is about: its own column field, else the named constraint's columns. */
function constraintColumns(table: TableModel, fields: PgFields): string[] {
  if (fields.column) return [fields.column];
  const name = fields.constraint;
  if (!name) return [];
  const constraint = [...table.uniques, ...table.checks, ...table.foreignKeys].find((candidate) => candidate.name === name);
  return constraint?.columns ?? [];
}

function list(columns: string[]): string {
  return columns.map((column) => `"${column}"`).join(', ');
}
