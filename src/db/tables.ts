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

export function emptyCounts(): TableCounts {
  return Object.fromEntries(DOMAIN_TABLES_DELETE_ORDER.map((table) => [table, 0])) as TableCounts;
}
