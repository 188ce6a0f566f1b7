import type { GraphResult } from '../graphs/graph.use-case';
import type { TableModel } from '../schema/schema-model';

/**
 * The `result` of a scenario file: names for what `data` holds, each a path
 * into the created rows (`customer[0]`, `invoices`, `customer[0].email`),
 * checked at load and picked from the graph engine's answer per request.
 */
type Report = (path: string, message: string) => void;
const RESULT_PATH = /^([A-Za-z_][A-Za-z0-9_.-]*?)(?:\[(\d{1,6})\])?(?:\.([A-Za-z_][A-Za-z0-9_$]*))?$/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A `result` entry: rows of an alias or table, all of them, one of them, or one column of one. */
export interface ResultPath {
  source: { alias: string; table: TableModel } | { table: TableModel };
  index?: number;
  column?: string;
}

export function compileResult(raw: unknown, aliasTables: Map<string, TableModel>, tables: Map<string, TableModel>, report: Report): Map<string, ResultPath> | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    report('result', 'result maps names to paths such as customer[0] or invoice');
    return undefined;
  }
  const result = new Map<string, ResultPath>();
  for (const [name, path] of Object.entries(raw)) {
    const at = `result.${name}`;
    const match = typeof path === 'string' ? RESULT_PATH.exec(path) : null;
    if (!match) {
      report(at, 'a result path is an alias or table, optionally [index] and .column: customer[0], invoice, customer[0].email');
      continue;
    }
    const [, source, index, column] = match;
    const aliasTable = aliasTables.get(source!);
    const table = aliasTable ?? tables.get(source!);
    if (!table) {
      report(at, `"${source}" is neither an alias (as) of the graph nor a table it creates (${[...aliasTables.keys(), ...tables.keys()].join(', ')})`);
      continue;
    }
    if (column !== undefined && index === undefined) {
      report(at, `.${column} needs one row: write ${source}[0].${column}`);
      continue;
    }
    if (column !== undefined && !table.columns.some((candidate) => candidate.name === column)) {
      report(at, `table ${table.label} has no column "${column}"`);
      continue;
    }
    result.set(name, {
      source: aliasTable ? { alias: source!, table } : { table },
      ...(index !== undefined ? { index: Number(index) } : {}),
      ...(column !== undefined ? { column } : {}),
    });
  }
  return result;
}

function pick(path: ResultPath, graph: GraphResult): unknown {
  const label = path.source.table.label;
  let rows = graph.records[label] ?? [];
  if ('alias' in path.source) {
    const keys = graph.aliases[path.source.alias] ?? [];
    const primary = path.source.table.primaryKey;
    rows = keys.map((key) => rows.find((row) => primary.every((column) => row[column] === key[column]))!).filter(Boolean);
  }
  if (path.index === undefined) return rows;
  const row = rows[path.index];
  if (path.column === undefined) return row ?? null;
  return row?.[path.column] ?? null;
}

/** `data` of one answer: what `result` names, or without a `result` every created row per table. */
export function resultData(result: Map<string, ResultPath> | undefined, graph: GraphResult): Record<string, unknown> {
  if (!result) return graph.records;
  return Object.fromEntries([...result].map(([name, path]) => [name, pick(path, graph)]));
}
