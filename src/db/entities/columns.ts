/**
 * Shared column shapes: every domain table carries an indexed, NOT NULL
 * test_tag, and statuses are text columns guarded by CHECK constraints
 * (easier to extend in a migration than PostgreSQL enum types) over the
 * vocabularies of src/domain/vocabulary.ts.
 */
export function sqlInList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}
