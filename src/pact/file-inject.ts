import type { ScenarioDefinition } from '../scenario-files/scenario-definition';
import type { ModelIndex, TableModel } from '../schema/schema-model';
import type { PathSegment } from './inject-path';

/**
 * Whether an inject path leads somewhere in a scenario file's `data`. A file
 * is not in openapi.yaml: its `data` is what its `result` names (a list of
 * rows, one row, or one column of one row), or without a `result` every
 * created row per table; the path is checked against that and the tables'
 * columns.
 */
export function fileResultHasPath(definition: ScenarioDefinition, model: ModelIndex, segments: readonly PathSegment[]): boolean {
  const [first, ...rest] = segments;
  if (!first || !('key' in first)) return false;
  if (!definition.result) {
    const table = model.resolve(first.key);
    return table !== undefined && rowsHavePath(table, rest);
  }
  const path = definition.result.get(first.key);
  if (!path) return false;
  if (path.column !== undefined) return rest.length === 0;
  if (path.index !== undefined) return rowHasPath(path.source.table, rest);
  return rowsHavePath(path.source.table, rest);
}

function rowsHavePath(table: TableModel, rest: readonly PathSegment[]): boolean {
  const [next, ...after] = rest;
  if (!next) return true;
  return 'index' in next && rowHasPath(table, after);
}

function rowHasPath(table: TableModel, rest: readonly PathSegment[]): boolean {
  const [next, ...after] = rest;
  if (!next) return true;
  return 'key' in next && after.length === 0 && table.columns.some((column) => column.name === next.key);
}
