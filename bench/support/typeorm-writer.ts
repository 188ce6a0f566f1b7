import type { DataSource } from 'typeorm';
import { Address, Membership, Order, OrderItem, Organization, Payment, Product, Shipment, TestTag, User } from '../../src/db/entities';
import type { GraphRows } from './graph';

/**
 * The hand-written baseline: what a test suite's own seeding code usually
 * looks like. One `repository.save` per entity, each parent's generated id
 * read back for its children, all in one transaction (the kindest version of
 * it: no commit per row).
 */
export async function saveGraphPerEntity(dataSource: DataSource, tag: string, graph: GraphRows): Promise<number> {
  return dataSource.transaction(async (manager) => {
    let saved = 0;
    await manager.getRepository(TestTag).save({ tag, expiresAt: new Date(Date.now() + 86_400_000), labels: {} });

    const organizations: string[] = [];
    for (const row of graph.organizations) {
      organizations.push((await manager.getRepository(Organization).save({ testTag: tag, ...row })).id);
      saved += 1;
    }
    const users: string[] = [];
    for (const row of graph.users) {
      users.push((await manager.getRepository(User).save({ testTag: tag, ...row } as Partial<User>)).id);
      saved += 1;
    }
    for (const { organization, user, role } of graph.memberships) {
      await manager.getRepository(Membership).save({ testTag: tag, organizationId: organizations[organization], userId: users[user], role } as Partial<Membership>);
      saved += 1;
    }
    for (const { user, ...row } of graph.addresses) {
      await manager.getRepository(Address).save({ testTag: tag, userId: users[user], ...row });
      saved += 1;
    }
    const products: string[] = [];
    for (const row of graph.products) {
      products.push((await manager.getRepository(Product).save({ testTag: tag, ...row })).id);
      saved += 1;
    }
    const orders: string[] = [];
    for (const { user, ...row } of graph.orders) {
      orders.push((await manager.getRepository(Order).save({ testTag: tag, userId: users[user], ...row } as Partial<Order>)).id);
      saved += 1;
    }
    for (const { order, product, ...row } of graph.order_items) {
      await manager.getRepository(OrderItem).save({ testTag: tag, orderId: orders[order], productId: products[product], ...row });
      saved += 1;
    }
    for (const { order, ...row } of graph.payments) {
      await manager.getRepository(Payment).save({ testTag: tag, orderId: orders[order], ...row } as Partial<Payment>);
      saved += 1;
    }
    for (const { order, ...row } of graph.shipments) {
      await manager.getRepository(Shipment).save({ testTag: tag, orderId: orders[order], ...row } as Partial<Shipment>);
      saved += 1;
    }
    return saved;
  });
}
