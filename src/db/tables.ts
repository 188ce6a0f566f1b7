/**
 * The domain tables that tags own, children before parents: deleting in this
 * order never trips a foreign key inside one tag.
 */
export const DOMAIN_TABLES_DELETE_ORDER = [
  'order_items',
  'payments',
  'shipments',
  'orders',
  'addresses',
  'memberships',
  'products',
  'users',
  'organizations',
] as const;

export type DomainTable = (typeof DOMAIN_TABLES_DELETE_ORDER)[number];

/** Parents before children: the order to insert a graph in. */
export const DOMAIN_TABLES_INSERT_ORDER: readonly DomainTable[] = [...DOMAIN_TABLES_DELETE_ORDER].reverse();

export type TableCounts = Record<DomainTable, number>;

/** Zero for every table; the keys follow `order` (a response lists a provisioned graph parents first). */
export function emptyCounts(order: readonly DomainTable[] = DOMAIN_TABLES_DELETE_ORDER): TableCounts {
  return Object.fromEntries(order.map((table) => [table, 0])) as TableCounts;
}

export function totalOf(counts: TableCounts): number {
  return DOMAIN_TABLES_DELETE_ORDER.reduce((sum, table) => sum + counts[table], 0);
}

/** Adds `more` into `into`, table by table. */
export function addCounts(into: TableCounts, more: TableCounts): void {
  for (const table of DOMAIN_TABLES_DELETE_ORDER) into[table] += more[table];
}
