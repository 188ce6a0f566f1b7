import { IsInt, Max, Min } from 'class-validator';
import type { OrderStatus } from '../domain/vocabulary';
import { Optional } from '../validation/dto-decorators';
import { defineScenario } from '../provisioning/scenario-recipe';
import { addOrder } from './factories/order.factory';
import { buildProduct } from './factories/product.factory';
import { buildUser } from './factories/user.factory';

export class BulkOrdersScenarioParams {
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  users = 100;

  @Optional()
  @IsInt()
  @Min(0)
  @Max(50)
  ordersPerUser = 5;

  @Optional()
  @IsInt()
  @Min(1)
  @Max(20)
  itemsPerOrder = 3;

  @Optional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  products = 50;
}

/** No overrides: load-test data is all generated. */
export class BulkOrdersScenarioOverrides {}

/** A plausible shop: most orders delivered, a few still open, cancelled or refunded. */
const STATUS_MIX: Array<{ weight: number; value: OrderStatus }> = [
  { weight: 40, value: 'delivered' },
  { weight: 15, value: 'shipped' },
  { weight: 20, value: 'paid' },
  { weight: 10, value: 'pending' },
  { weight: 10, value: 'cancelled' },
  { weight: 5, value: 'refunded' },
];

const SAMPLE_SIZE = 10;

export const bulkOrdersScenario = defineScenario({
  name: 'bulk-orders',
  description:
    'Load-test seeding through the bulk write path: users with orders of mixed statuses over a shared product set. Returns counts and up to 10 sample ids per table, not the graph.',
  version: 1,
  params: BulkOrdersScenarioParams,
  overrides: BulkOrdersScenarioOverrides,
  bulk: true,
  // Upper bound: every order counted with a payment and a shipment.
  estimateRows: (params) => params.products + params.users * (1 + params.ordersPerUser * (params.itemsPerOrder + 3)),
  async build(ctx) {
    const { params, random, out } = ctx;
    const products = [];
    for (let index = 0; index < params.products; index += 1) {
      const { id, priceCents } = out.add('products', buildProduct(ctx, index));
      products.push({ id, priceCents });
    }
    const sample = { userIds: [] as string[], orderIds: [] as string[], productIds: products.slice(0, SAMPLE_SIZE).map((product) => product.id) };
    let orderIndex = 0;
    for (let userIndex = 0; userIndex < params.users; userIndex += 1) {
      const user = out.add('users', buildUser(ctx, { index: userIndex, role: 'customer', status: 'active' }));
      if (sample.userIds.length < SAMPLE_SIZE) sample.userIds.push(user.id);
      for (let n = 0; n < params.ordersPerUser; n += 1) {
        const { order } = addOrder(ctx, out, {
          index: orderIndex,
          userId: user.id,
          status: random.weighted(STATUS_MIX),
          itemsPerOrder: params.itemsPerOrder,
          products,
        });
        orderIndex += 1;
        if (sample.orderIds.length < SAMPLE_SIZE) sample.orderIds.push(order.id);
      }
      // Each user's graph is complete here: the engine may write the chunk.
      await out.checkpoint();
    }
    return { sample };
  },
});
