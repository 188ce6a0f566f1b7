/**
 * Uniqueness the database does not declare. Most applications that validate
 * in code (Sequelize, TypeORM, Rails) keep e-mail, username and slug unique
 * with a findOne, not a constraint: parallel suites with the same seed would
 * otherwise get the same e-mail, and a login finds another suite's user.
 * A column is unique by constraint (a unique constraint or index), by
 * declaration (TESTAPI_UNIQUE), or by inference (its generator is one of
 * IDENTITY_KINDS); TESTAPI_NOT_UNIQUE opts a column out of the last two.
 */
export type UniqueBy = 'constraint' | 'declaration' | 'inference';

/** Generators whose values identify a row to the application: unique unless opted out. */
export const IDENTITY_KINDS: ReadonlySet<string> = new Set(['email', 'username', 'slug']);

export interface UniqueDeclarations {
  /** `table.column` or `schema.table.column` entries, as written in TESTAPI_UNIQUE. */
  declared: readonly string[];
  /** The same, from TESTAPI_NOT_UNIQUE. */
  optedOut: readonly string[];
}

export const NO_DECLARATIONS: UniqueDeclarations = { declared: [], optedOut: [] };

/** One entry: two or three dot-separated names (quoted identifiers are not needed: entries compare by name). */
export const DECLARATION_ENTRY = /^[^.,\s]+(\.[^.,\s]+){1,2}$/;

/** Whether an entry names this table's column: `table.column` matches in any modelled schema. */
export function namesColumn(entry: string, schema: string, table: string, column: string): boolean {
  const parts = entry.split('.');
  if (parts.length === 2) return parts[0] === table && parts[1] === column;
  return parts[0] === schema && parts[1] === table && parts[2] === column;
}

/** How a column is unique, or null: `byConstraint` from the catalog, `identityLike` from its generator by name. */
export function uniqueBy(
  declarations: UniqueDeclarations,
  where: { schema: string; table: string; column: string },
  byConstraint: boolean,
  identityLike: boolean,
): UniqueBy | null {
  if (byConstraint) return 'constraint';
  const named = (entry: string): boolean => namesColumn(entry, where.schema, where.table, where.column);
  if (declarations.optedOut.some(named)) return null;
  if (declarations.declared.some(named)) return 'declaration';
  return identityLike ? 'inference' : null;
}
