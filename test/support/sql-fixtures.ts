import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { emptyCounts, type TableCounts } from '../../src/db/tables';
import { testPool } from './database';

/**
 * Rows written straight into PostgreSQL, the way another tool (or a test
 * that must not depend on provisioning) would: tagged, valid, on reserved
 * e-mail domains, with test card 4242.
 */

export interface TagRegistration {
  /** Seconds from now; negative means already expired. Default one hour. */
  expiresInSeconds?: number;
  /** How long ago the tag was created. Default now. */
  createdSecondsAgo?: number;
  labels?: Record<string, string>;
}

export async function registerTag(tag: string, registration: TagRegistration = {}, db: Pool = testPool()): Promise<void> {
  await db.query(
    `INSERT INTO test_tags (tag, created_at, expires_at, labels)
     VALUES ($1, now() - $2::integer * interval '1 second', now() + $3::integer * interval '1 second', $4::jsonb)`,
    [tag, registration.createdSecondsAgo ?? 0, registration.expiresInSeconds ?? 3600, JSON.stringify(registration.labels ?? {})],
  );
}

export interface GraphIds {
  organizationId: string;
  userId: string;
  productId: string;
  orderIds: string[];
}

export interface Graph {
  ids: GraphIds;
  counts: TableCounts;
}

function unique(): string {
  return randomBytes(5).toString('hex');
}

async function insertOne(db: Pool, sql: string, params: unknown[]): Promise<string> {
  const result = await db.query<{ id: string }>(`${sql} RETURNING id`, params);
  return result.rows[0]!.id;
}

/**
 * One organization with one member (membership, address), one product and
 * `orders` orders, each with one item, one payment and one shipment: 5 + 4 x
 * orders rows, every one carrying `tag`.
 */
export async function insertGraph(tag: string, options: { orders?: number } = {}, db: Pool = testPool()): Promise<Graph> {
  const orders = options.orders ?? 1;
  const key = unique();
  const organizationId = await insertOne(
    db,
    `INSERT INTO organizations (test_tag, name, slug, domain) VALUES ($1, $2, $3, $4)`,
    [tag, `Fixture Org ${key}`, `fixture-${key}`, `fixture-${key}.example`],
  );
  const userId = await insertOne(
    db,
    `INSERT INTO users (test_tag, email, first_name, last_name, role, status) VALUES ($1, $2, 'Ada', 'Fixture', 'customer', 'active')`,
    [tag, `fixture-${key}@example.com`],
  );
  await insertOne(db, `INSERT INTO memberships (test_tag, organization_id, user_id, role) VALUES ($1, $2, $3, 'member')`, [tag, organizationId, userId]);
  await insertOne(
    db,
    `INSERT INTO addresses (test_tag, user_id, line1, city, postal_code, country_code) VALUES ($1, $2, '1 Test Street', 'Testville', '00000', 'US')`,
    [tag, userId],
  );
  const productId = await insertOne(
    db,
    `INSERT INTO products (test_tag, sku, name, category, price_cents, stock) VALUES ($1, $2, 'Fixture Widget', 'widgets', 1250, 10)`,
    [tag, `FIX-${key}`],
  );
  const orderIds: string[] = [];
  for (let i = 0; i < orders; i += 1) orderIds.push(await insertOrder(tag, userId, productId, db));
  const counts = emptyCounts();
  Object.assign(counts, { organizations: 1, users: 1, memberships: 1, addresses: 1, products: 1 });
  counts.orders = counts.order_items = counts.payments = counts.shipments = orders;
  return { ids: { organizationId, userId, productId, orderIds }, counts };
}

/** An order with one item, one payment and one shipment under `tag`, for any user and product (of any tag). */
export async function insertOrder(tag: string, userId: string, productId: string, db: Pool = testPool()): Promise<string> {
  const orderId = await insertOne(
    db,
    `INSERT INTO orders (test_tag, user_id, number, status, total_cents, currency, placed_at) VALUES ($1, $2, $3, 'paid', 1250, 'USD', now())`,
    [tag, userId, `FIX-${unique()}`],
  );
  await insertOne(db, `INSERT INTO order_items (test_tag, order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, $3, 1, 1250)`, [tag, orderId, productId]);
  await insertOne(
    db,
    `INSERT INTO payments (test_tag, order_id, status, method, amount_cents, card_last4) VALUES ($1, $2, 'captured', 'card', 1250, '4242')`,
    [tag, orderId],
  );
  await insertOne(
    db,
    `INSERT INTO shipments (test_tag, order_id, carrier, tracking_number, status, shipped_at) VALUES ($1, $2, 'TestPost', $3, 'in_transit', now())`,
    [tag, orderId, `TRK${unique()}`],
  );
  return orderId;
}

/** An idempotency record under `tag`, as provisioning would store one. */
export async function insertIdempotencyKey(tag: string, db: Pool = testPool()): Promise<string> {
  const key = `fixture-${unique()}`;
  await db.query(
    `INSERT INTO testapi_idempotency_keys (key, tag, scenario, request_hash, status_code, response, expires_at)
     VALUES ($1, $2, 'user', 'fixture', 201, '{}'::jsonb, now() + interval '1 hour')`,
    [key, tag],
  );
  return key;
}
