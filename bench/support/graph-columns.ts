import { randomUUID } from 'node:crypto';
import { DOMAIN_TABLES_INSERT_ORDER, type DomainTable } from '../../src/db/tables';
import type { GraphRows } from './graph';

export type SqlValue = string | number | Date | null;
export type GraphIds = Record<DomainTable, string[]>;

/** Columns the baselines write; created_at is left to its DEFAULT now(), as the service may. */
export const COLUMNS: Record<DomainTable, readonly string[]> = {
  organizations: ['id', 'test_tag', 'name', 'slug', 'domain'],
  users: ['id', 'test_tag', 'email', 'first_name', 'last_name', 'phone', 'role', 'status'],
  memberships: ['id', 'test_tag', 'organization_id', 'user_id', 'role'],
  addresses: ['id', 'test_tag', 'user_id', 'line1', 'city', 'postal_code', 'country_code'],
  products: ['id', 'test_tag', 'sku', 'name', 'category', 'price_cents', 'stock'],
  orders: ['id', 'test_tag', 'user_id', 'number', 'status', 'total_cents', 'currency', 'placed_at'],
  order_items: ['id', 'test_tag', 'order_id', 'product_id', 'quantity', 'unit_price_cents'],
  payments: ['id', 'test_tag', 'order_id', 'status', 'method', 'amount_cents', 'card_last4'],
  shipments: ['id', 'test_tag', 'order_id', 'carrier', 'tracking_number', 'status', 'shipped_at', 'delivered_at'],
};

/** Client-side uuids: children can name their parents without a round trip. */
export function assignIds(graph: GraphRows): GraphIds {
  return Object.fromEntries(
    DOMAIN_TABLES_INSERT_ORDER.map((table) => [table, Array.from({ length: graph[table].length }, () => randomUUID())]),
  ) as GraphIds;
}

/** Row `i` of `table` as values in COLUMNS order. */
export function rowValues(table: DomainTable, graph: GraphRows, ids: GraphIds, tag: string, i: number): SqlValue[] {
  const id = ids[table][i];
  switch (table) {
    case 'organizations': {
      const r = graph.organizations[i];
      return [id, tag, r.name, r.slug, r.domain];
    }
    case 'users': {
      const r = graph.users[i];
      return [id, tag, r.email, r.firstName, r.lastName, r.phone, r.role, r.status];
    }
    case 'memberships': {
      const r = graph.memberships[i];
      return [id, tag, ids.organizations[r.organization], ids.users[r.user], r.role];
    }
    case 'addresses': {
      const r = graph.addresses[i];
      return [id, tag, ids.users[r.user], r.line1, r.city, r.postalCode, r.countryCode];
    }
    case 'products': {
      const r = graph.products[i];
      return [id, tag, r.sku, r.name, r.category, r.priceCents, r.stock];
    }
    case 'orders': {
      const r = graph.orders[i];
      return [id, tag, ids.users[r.user], r.number, r.status, r.totalCents, r.currency, r.placedAt];
    }
    case 'order_items': {
      const r = graph.order_items[i];
      return [id, tag, ids.orders[r.order], ids.products[r.product], r.quantity, r.unitPriceCents];
    }
    case 'payments': {
      const r = graph.payments[i];
      return [id, tag, ids.orders[r.order], r.status, r.method, r.amountCents, r.cardLast4];
    }
    case 'shipments': {
      const r = graph.shipments[i];
      return [id, tag, ids.orders[r.order], r.carrier, r.trackingNumber, r.status, r.shippedAt, r.deliveredAt];
    }
  }
}
