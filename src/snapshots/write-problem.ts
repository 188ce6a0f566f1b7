import { AppError, conflict } from '../errors';
import { sqlState } from '../db/errors';
import { RowsWriteError } from './rows-writer';

interface PgFields {
  message?: string;
  detail?: string;
  column?: string;
  constraint?: string;
}

/** Data exceptions (22), integrity violations (23), a trigger's RAISE (P0): PostgreSQL refused the values. */
const REFUSED_CLASSES = ['22', '23', 'P0'];

/** The columns of a unique violation: the model's constraint, else PostgreSQL's "Key (a, b)=(...)" detail. */
function uniqueColumns(error: RowsWriteError, fields: PgFields): string | null {
  const unique = error.table.uniques.find((candidate) => candidate.name === fields.constraint);
  if (unique) return unique.columns.join(', ');
  return /^Key \(([^)]+)\)=/.exec(fields.detail ?? '')?.[1] ?? null;
}

/**
 * What PostgreSQL refused while rows were written, as the caller's problem:
 * a unique collision is a 409 naming table and column (with
 * keepUniqueValues, the snapshot's own values meet the rows they came from);
 * any other refusal a 422 naming table, column and constraint with
 * PostgreSQL's message, never the SQL or a row. Other failures (connection
 * lost, timeout) pass through for the usual 503.
 */
export function rowsWriteProblem(error: unknown, origin: string, keptUniqueValues = false): unknown {
  if (!(error instanceof RowsWriteError)) return error;
  const state = sqlState(error.cause);
  if (!state || !REFUSED_CLASSES.some((prefix) => state.startsWith(prefix))) return error.cause;
  const fields = error.cause as PgFields;
  const table = error.table.label;
  if (state === '23505') {
    const column = uniqueColumns(error, fields);
    return conflict(
      `A value of table ${table}, column ${column ?? 'unknown'} (constraint ${fields.constraint ?? 'unknown'}) is already used by an existing row; nothing was written. ` +
        (keptUniqueValues
          ? 'Import without keepUniqueValues to re-salt unique values.'
          : `Values testapi re-salts differ per request, so this one is either a value it keeps (a key, or a column it does not salt) or a rare salt collision: change the value in the ${origin}, or import again.`),
      undefined,
      { table, column, constraint: fields.constraint ?? null },
    );
  }
  return new AppError({
    type: 'rows-rejected',
    title: 'PostgreSQL cannot take these rows',
    status: 422,
    detail: `PostgreSQL rejected a row of table ${table}${fields.column ? `, column ${fields.column}` : ''}${fields.constraint ? `, constraint ${fields.constraint}` : ''} from the ${origin}: ${fields.message ?? 'rejected'}. Nothing was written.`,
    extensions: { table, column: fields.column ?? null, constraint: fields.constraint ?? null },
  });
}
