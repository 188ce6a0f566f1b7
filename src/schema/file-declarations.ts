import { readScenarioFiles } from '../files/read-scenario-files';
import type { UniqueDeclarations } from './declared-uniques';

/**
 * Uniqueness declared per table in scenario files (issue 28): a file's
 * `tables: {members: {unique: [email], notUnique: [username]}}` adds to
 * TESTAPI_UNIQUE and TESTAPI_NOT_UNIQUE for the whole deployment, since
 * whether a value identifies a row is a fact about the data, not about one
 * scenario. Read before each introspection (start-up and reload); a
 * malformed entry is skipped here and named by the file's own check
 * (scenario-definition.ts), which refuses the set.
 */
export async function fileDeclarations(dir: string | undefined): Promise<UniqueDeclarations> {
  if (dir === undefined) return { declared: [], optedOut: [] };
  const { files } = await readScenarioFiles(dir);
  const declared: string[] = [];
  const optedOut: string[] = [];
  for (const { content } of files) {
    const tables = isObject(content) ? content.tables : undefined;
    if (!isObject(tables)) continue;
    for (const [table, entry] of Object.entries(tables)) {
      if (!isObject(entry)) continue;
      for (const column of names(entry.unique)) declared.push(`${table}.${column}`);
      for (const column of names(entry.notUnique)) optedOut.push(`${table}.${column}`);
    }
  }
  return { declared, optedOut };
}

/** Both lists together: a file adds to the environment's declarations, never removes one. */
export function mergeDeclarations(first: UniqueDeclarations, second: UniqueDeclarations): UniqueDeclarations {
  return { declared: [...first.declared, ...second.declared], optedOut: [...first.optedOut, ...second.optedOut] };
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && /^[^.,\s]+$/.test(item)) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
