import type { ColumnModel } from '../schema/schema-model';

/**
 * Whether a salted value fits its column (issue 28, "salts that fit"). A
 * salt is the request's random id followed by what tells the rows of one
 * request apart (node and row, or the import's value number); a short
 * column keeps its tail, so the per-row part always survives and rows of
 * one request never collide. Across requests only the id's characters keep
 * values apart: a column with room for fewer than MIN_REQUEST_CHARS of them
 * would collide with other suites' rows, so the request is refused up front
 * (400 naming the column) rather than failing at random with a 409.
 */
export const MIN_REQUEST_CHARS = 4;

/** `.` and `@` around the salt, and the longest reserved domain (example.com/.net/.org). */
const EMAIL_OVERHEAD = 2 + 'example.com'.length;

/** Generator kinds whose text value carries the salt when the column is unique (value-factory.ts). */
export const SALTED_KINDS = new Set([
  'email', 'letters', 'first-name', 'last-name', 'full-name', 'phone', 'street', 'secondary-address', 'city', 'state', 'country',
  'country-code', 'postal-code', 'company', 'job-title', 'url', 'username', 'paragraph', 'slug', 'currency', 'color', 'secret',
  'title', 'name', 'genre', 'department', 'language', 'words',
]);

/** Characters of `column` a salt may take (an e-mail keeps one of its name and its domain), or null when unbounded. */
export function saltRoom(column: ColumnModel): number | null {
  if (column.length === null) return null;
  return column.generator.kind === 'email' ? column.length - EMAIL_OVERHEAD - 1 : column.length;
}

/** Digits of `count - 1` in base 36: what the per-row part of a salt takes for `count` rows. */
export function rowDigits(count: number): number {
  return Math.max(0, count - 1).toString(36).length;
}

/** Why a salt of `perRow` trailing characters does not fit `column`, or undefined when it does. */
export function saltMisfit(column: ColumnModel, perRow: number): string | undefined {
  const room = saltRoom(column);
  const needed = MIN_REQUEST_CHARS + perRow;
  if (room === null || room >= needed) return undefined;
  return (
    `${column.name} is ${column.type} and unique: a generated value needs ${needed} characters there to differ from every other request's ` +
    `(${column.generator.kind === 'email' ? `${room} fit beside a reserved domain` : `${Math.max(0, room)} fit`}); give the values in set`
  );
}
