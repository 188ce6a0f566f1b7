import { parseOrderings, type ColumnOrdering } from '../schema/check-parser';
import type { ColumnModel, TableModel } from '../schema/schema-model';

/** One column of a node's INSERT and its value per row (graph-writer's ColumnPlan). */
interface PlannedColumn {
  column: ColumnModel;
  values: (row: number) => unknown;
}

/**
 * Satisfies a table's two-column CHECKs (`expires_at > created_at`,
 * `ends_at < starts_at + '7 days'`, `max_qty >= min_qty`) row by row: where
 * drawn values break one, the drawn side moves just inside the bound. A side
 * the request fixed (set, parent, connect) is never moved; when both are
 * fixed PostgreSQL judges, as for any CHECK testapi cannot read.
 */
const orderingsByTable = new WeakMap<TableModel, ColumnOrdering[]>();

function orderingsOf(table: TableModel): ColumnOrdering[] {
  let orderings = orderingsByTable.get(table);
  if (!orderings) {
    orderings = table.checks.flatMap((check) => parseOrderings(check.definition) ?? []);
    orderingsByTable.set(table, orderings);
  }
  return orderings;
}

const TIME_TYPES = new Set(['date', 'timestamp', 'timestamptz']);
const NUMBER_TYPES = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8']);

/** Values compared as numbers: times in milliseconds, numbers as they are. */
interface Scale {
  read(value: unknown): number | undefined;
  write(amount: number): unknown;
  /** The smallest move that makes `>` of `>=`: a second, a day, one, a cent. */
  step: number;
  /** Offsets in the CHECK's units (seconds for intervals) to this scale's. */
  unit: number;
}

function scaleOf(column: ColumnModel): Scale | undefined {
  if (column.isArray) return undefined;
  if (TIME_TYPES.has(column.baseType)) {
    const isDate = column.baseType === 'date';
    return {
      read: (value) => (value === null || value === undefined ? undefined : Date.parse(String(value))),
      write: (amount) => (isDate ? new Date(amount).toISOString().slice(0, 10) : new Date(amount).toISOString()),
      step: isDate ? 86_400_000 : 1_000,
      unit: 1_000,
    };
  }
  if (NUMBER_TYPES.has(column.baseType)) {
    const integral = column.baseType.startsWith('int') || column.scale === 0;
    return {
      read: (value) => (value === null || value === undefined ? undefined : Number(value)),
      write: (amount) => (integral ? Math.round(amount) : Math.round(amount * 100) / 100),
      step: integral ? 1 : 0.01,
      unit: 1,
    };
  }
  return undefined;
}

/** Where `moved` must go so that `moved op fixed + offset` holds, or undefined when it already does. */
function placed(moved: number, operator: ColumnOrdering['operator'], bound: number, step: number): number | undefined {
  if (operator === '>') return moved > bound ? undefined : bound + step;
  if (operator === '>=') return moved >= bound ? undefined : bound;
  if (operator === '<') return moved < bound ? undefined : bound - step;
  return moved <= bound ? undefined : bound;
}

const MIRRORED: Record<ColumnOrdering['operator'], ColumnOrdering['operator']> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=' };

/**
 * Wraps the drawn columns of `columns` so every row satisfies the table's
 * orderings, in CHECK order. `drawn` names the columns testapi drew (the ones it may move).
 */
export function keepOrderings(table: TableModel, columns: PlannedColumn[], drawn: ReadonlySet<string>): void {
  for (const ordering of orderingsOf(table)) {
    const left = columns.find((entry) => entry.column.name === ordering.left);
    const right = columns.find((entry) => entry.column.name === ordering.right);
    if (!left || !right) continue;
    // left op right + offset; when only the right side is drawn: right op' left - offset.
    const [moved, fixed, operator, offset] = drawn.has(left.column.name)
      ? [left, right, ordering.operator, ordering.offset]
      : drawn.has(right.column.name)
        ? [right, left, MIRRORED[ordering.operator], -ordering.offset]
        : [undefined, undefined, ordering.operator, 0];
    if (!moved || !fixed) continue;
    const scale = scaleOf(moved.column);
    const fixedScale = scaleOf(fixed.column);
    if (!scale || !fixedScale) continue;
    const own = moved.values;
    const other = fixed.values;
    moved.values = (row) => {
      const value = own(row);
      const mine = scale.read(value);
      const theirs = fixedScale.read(other(row));
      if (mine === undefined || theirs === undefined || Number.isNaN(mine) || Number.isNaN(theirs)) return value;
      const target = placed(mine, operator, theirs + offset * scale.unit, scale.step);
      return target === undefined ? value : scale.write(target);
    };
  }
}
