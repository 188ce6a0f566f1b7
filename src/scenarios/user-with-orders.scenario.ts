import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { ORDER_STATUSES, type OrderStatus } from '../domain/vocabulary';
import { Optional } from '../validation/dto-decorators';
import { defineScenario } from '../provisioning/scenario-recipe';
import { addOrder } from './factories/order.factory';
import { buildProduct } from './factories/product.factory';
import { buildUser } from './factories/user.factory';
import { UserOverrides } from './overrides.dto';

export class UserWithOrdersScenarioParams {
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  orders = 3;

  @Optional()
  @IsInt()
  @Min(1)
  @Max(20)
  itemsPerOrder = 2;

  @Optional()
  @IsIn(ORDER_STATUSES)
  status: OrderStatus = 'paid';
}

export class UserWithOrdersScenarioOverrides {
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => UserOverrides)
  user?: UserOverrides;
}

/** Two spare products, so orders do not all hold the same items. */
const productsFor = (itemsPerOrder: number): number => itemsPerOrder + 2;

export const userWithOrdersScenario = defineScenario({
  name: 'user-with-orders',
  description:
    'A customer with orders of one status; each order has items over products created under the same tag, one payment of its total (captured once paid) and, when shipped or delivered, a shipment.',
  version: 1,
  params: UserWithOrdersScenarioParams,
  overrides: UserWithOrdersScenarioOverrides,
  uniqueOverrides: { uq_users_email: 'overrides.user.email' },
  // user + products + per order: the order, its items, a payment and at most one shipment
  estimateRows: (params) => 1 + productsFor(params.itemsPerOrder) + params.orders * (params.itemsPerOrder + 3),
  build(ctx) {
    const { params, overrides, out } = ctx;
    const user = out.add('users', buildUser(ctx, { index: 0, role: 'customer', status: 'active', overrides: overrides.user }));
    const products = Array.from({ length: productsFor(params.itemsPerOrder) }, (_, index) =>
      out.add('products', buildProduct(ctx, index)),
    );
    const orders = Array.from({ length: params.orders }, (_, index) => {
      const { order, items, payment, shipment } = addOrder(ctx, out, {
        index,
        userId: user.id,
        status: params.status,
        itemsPerOrder: params.itemsPerOrder,
        products,
      });
      return { ...order, items, payment, ...(shipment ? { shipment } : {}) };
    });
    return { user, products, orders };
  },
});
