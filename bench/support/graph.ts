import { DOMAIN_TABLES_INSERT_ORDER, type DomainTable, type TableCounts } from '../../src/db/tables';

/**
 * Rows for the baselines (COPY ceiling, TypeORM, raw pg transactions, filler):
 * the same tables, columns, constraints and per-table counts as a scenario's
 * graph. Values come from a cheap hash of the row index, not from faker: a
 * baseline measures PostgreSQL and the driver, not value generation.
 *
 * Parents are referenced by index; each writer turns indexes into ids its own
 * way (client-side uuids for COPY and SQL, RETURNING ids for TypeORM).
 */
export interface GraphRows {
  organizations: { name: string; slug: string; domain: string }[];
  users: { email: string; firstName: string; lastName: string; phone: string | null; role: string; status: string }[];
  memberships: { organization: number; user: number; role: string }[];
  addresses: { user: number; line1: string; city: string; postalCode: string; countryCode: string }[];
  products: { sku: string; name: string; category: string; priceCents: number; stock: number }[];
  orders: { user: number; number: string; status: string; totalCents: number; currency: string; placedAt: Date }[];
  order_items: { order: number; product: number; quantity: number; unitPriceCents: number }[];
  payments: { order: number; status: string; method: string; amountCents: number; cardLast4: string | null }[];
  shipments: { order: number; carrier: string; trackingNumber: string; status: string; shippedAt: Date; deliveredAt: Date | null }[];
}

const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun'];
const LAST_NAMES = ['Moreau', 'Okafor', 'Silva', 'Tanaka', 'Novak', 'Berg', 'Costa', 'Ibarra'];
const CITIES = ['Springfield', 'Riverton', 'Lakeside', 'Fairview', 'Greenville'];
const CATEGORIES = ['books', 'garden', 'toys', 'kitchen', 'sports'];
const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered'];
const CARRIERS = ['UPS', 'DHL', 'FedEx'];
const EPOCH = Date.UTC(2025, 0, 1);

/** A 32-bit integer hash (splitmix-style): deterministic, fast, good enough spread. */
function hash(index: number, salt: number): number {
  let x = (index + 1) * 0x9e3779b1 + salt * 0x85ebca6b;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

function pick<T>(values: readonly T[], index: number, salt: number): T {
  return values[hash(index, salt) % values.length];
}

/** Children spread evenly and contiguously over parents (a user's orders sit together). */
function parentOf(child: number, children: number, parents: number): number {
  return Math.min(parents - 1, Math.floor((child * parents) / children));
}

function priceOf(product: number): number {
  return 100 + (hash(product, 7) % 20_000);
}

/** Validates that every child table has the parents it needs. */
function checkCounts(counts: TableCounts): void {
  const needs: [DomainTable, DomainTable][] = [
    ['memberships', 'organizations'], ['memberships', 'users'], ['addresses', 'users'], ['orders', 'users'],
    ['order_items', 'orders'], ['order_items', 'products'], ['payments', 'orders'], ['shipments', 'orders'],
  ];
  for (const [child, parent] of needs) {
    if (counts[child] > 0 && counts[parent] === 0) throw new Error(`bench graph: ${child}=${counts[child]} needs at least one row in ${parent}`);
  }
}

/**
 * Generates a graph with exactly `counts` rows per table. `key` makes the
 * unique columns (email, sku, order number) unique across graphs: pass the tag
 * plus a per-graph suffix when one tag holds several graphs.
 */
export function generateGraph(key: string, counts: TableCounts): GraphRows {
  checkCounts(counts);
  const k = key.toLowerCase();
  const range = <T>(n: number, row: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => row(i));

  const items = range(counts.order_items, (i) => {
    const product = hash(i, 3) % Math.max(1, counts.products);
    return { order: parentOf(i, counts.order_items, counts.orders), product, quantity: 1 + (hash(i, 4) % 3), unitPriceCents: priceOf(product) };
  });
  const totals = new Array<number>(counts.orders).fill(0);
  for (const item of items) totals[item.order] += item.quantity * item.unitPriceCents;

  return {
    organizations: range(counts.organizations, (i) => ({ name: `Org ${i}`, slug: `${k}-org-${i}`, domain: `org${i}.example.com` })),
    users: range(counts.users, (i) => ({
      email: `${k}.u${i}@example.test`,
      firstName: pick(FIRST_NAMES, i, 1),
      lastName: pick(LAST_NAMES, i, 2),
      // 555-01xx numbers are reserved for fiction.
      phone: i % 4 === 0 ? null : `+1-555-01${String(i % 100).padStart(2, '0')}`,
      role: 'customer',
      status: 'active',
    })),
    memberships: range(counts.memberships, (i) => ({ organization: i % counts.organizations, user: i % counts.users, role: i === 0 ? 'owner' : 'member' })),
    addresses: range(counts.addresses, (i) => ({
      user: parentOf(i, counts.addresses, counts.users),
      line1: `${1 + (hash(i, 5) % 999)} Example Street`,
      city: pick(CITIES, i, 6),
      postalCode: String(10_000 + (hash(i, 8) % 89_999)),
      countryCode: 'US',
    })),
    products: range(counts.products, (i) => ({
      sku: `${k}-p${i}`,
      name: `Product ${i}`,
      category: pick(CATEGORIES, i, 9),
      priceCents: priceOf(i),
      stock: hash(i, 10) % 500,
    })),
    orders: range(counts.orders, (i) => ({
      user: parentOf(i, counts.orders, counts.users),
      number: `${k}-o${i}`,
      status: pick(ORDER_STATUSES, i, 11),
      totalCents: totals[i],
      currency: 'USD',
      placedAt: new Date(EPOCH + i * 1000),
    })),
    order_items: items,
    payments: range(counts.payments, (i) => {
      const order = parentOf(i, counts.payments, counts.orders);
      // 4242: the documented test card, never a real number.
      return { order, status: 'captured', method: 'card', amountCents: totals[order], cardLast4: '4242' };
    }),
    shipments: range(counts.shipments, (i) => ({
      order: parentOf(i, counts.shipments, counts.orders),
      carrier: pick(CARRIERS, i, 12),
      trackingNumber: `${k}-t${i}`,
      status: i % 2 === 0 ? 'in_transit' : 'delivered',
      shippedAt: new Date(EPOCH + i * 1000),
      deliveredAt: i % 2 === 0 ? null : new Date(EPOCH + i * 1000 + 86_400_000),
    })),
  };
}

export function totalRows(counts: TableCounts): number {
  return DOMAIN_TABLES_INSERT_ORDER.reduce((sum, table) => sum + counts[table], 0);
}

/** `counts` divided by `divisor`, rounded up, keeping every non-empty table non-empty. */
export function scaleCounts(counts: TableCounts, divisor: number): TableCounts {
  return Object.fromEntries(DOMAIN_TABLES_INSERT_ORDER.map((table) => [table, Math.ceil(counts[table] / divisor)])) as TableCounts;
}
