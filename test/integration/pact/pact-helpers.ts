import { randomBytes } from 'node:crypto';
import { testPool } from '../../support/database';

/** A mapping name no other test uses (mapping names are at most 24 characters). */
export function uniqueMappingName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The example mapping: a user with orders (params from the state), and a state without data. */
export function ordersMapping(ttlSeconds = 900): Record<string, unknown> {
  return {
    ttlSeconds,
    unknownStates: 'reject',
    states: {
      'a user with orders': {
        scenario: 'user-with-orders',
        params: { orders: { param: 'orders', default: 1 }, status: 'shipped', itemsPerOrder: 1 },
        inject: { userId: 'user.id', orderId: 'orders[0].id', userEmail: 'user.email' },
      },
      'no orders exist': { scenario: null },
    },
  };
}

export async function storedMapping(name: string): Promise<{ definition: Record<string, unknown> } | undefined> {
  const result = await testPool().query<{ definition: Record<string, unknown> }>('SELECT definition FROM testapi_pact_mappings WHERE name = $1', [name]);
  return result.rows[0];
}

/** Rows per pact tag under a prefix, read from PostgreSQL: users and orders are enough to tell graphs apart. */
export async function pactRows(prefix: string): Promise<Record<string, { users: number; orders: number }>> {
  const result = await testPool().query<{ test_tag: string; users: number; orders: number }>(
    `SELECT t.test_tag,
            (SELECT count(*)::int FROM users u WHERE u.test_tag = t.test_tag) AS users,
            (SELECT count(*)::int FROM orders o WHERE o.test_tag = t.test_tag) AS orders
       FROM (SELECT test_tag FROM users WHERE starts_with(test_tag, $1) UNION SELECT test_tag FROM orders WHERE starts_with(test_tag, $1)) t`,
    [prefix],
  );
  return Object.fromEntries(result.rows.map((row) => [row.test_tag, { users: row.users, orders: row.orders }]));
}
