import { randomUUID } from 'node:crypto';
import type { OrderStatus, PaymentMethod, PaymentStatus, ShipmentStatus } from '../../domain/vocabulary';
import type { RandomContext, RecordSink, StoredRecord } from '../../provisioning/scenario-recipe';
import { pickIndexes } from './pick';

/**
 * What each order status implies, in one place. Every order has exactly one
 * payment of its total: authorized while pending, captured once paid
 * (shipped and delivered too), voided when cancelled, refunded when refunded;
 * so pending and cancelled orders have nothing captured. Shipped and
 * delivered orders also have a shipment with a tracking number.
 */
export const ORDER_LIFECYCLE: Record<OrderStatus, { payment: PaymentStatus; shipment?: ShipmentStatus }> = {
  pending: { payment: 'authorized' },
  paid: { payment: 'captured' },
  shipped: { payment: 'captured', shipment: 'in_transit' },
  delivered: { payment: 'captured', shipment: 'delivered' },
  cancelled: { payment: 'voided' },
  refunded: { payment: 'refunded' },
};

/** Last four digits of documented test cards (Stripe's 4242…4242, 5555…4444, 3782…0005, 6011…1117, 5200…8210, 4000…5556). */
export const TEST_CARD_LAST4 = ['4242', '4444', '0005', '1117', '8210', '5556'] as const;

const PAYMENT_METHODS: Array<{ weight: number; value: PaymentMethod }> = [
  { weight: 7, value: 'card' },
  { weight: 2, value: 'wallet' },
  { weight: 1, value: 'bank_transfer' },
];
const CARRIERS = ['UPS', 'FedEx', 'DHL', 'USPS'] as const;
const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
const DAY_MS = 86_400_000;

export interface PricedProduct {
  id: string;
  priceCents: number;
}

export interface OrderSpec {
  /** Row index within the request: makes the order and tracking numbers unique. */
  index: number;
  userId: string;
  status: OrderStatus;
  itemsPerOrder: number;
  /** Products already added under the tag; items pick distinct ones. */
  products: readonly PricedProduct[];
}

export interface OrderGraph {
  order: StoredRecord<'orders'>;
  items: StoredRecord<'order_items'>[];
  payment: StoredRecord<'payments'>;
  shipment?: StoredRecord<'shipments'>;
}

/** Adds one order with its items, payment and (when shipped) shipment; total = Σ quantity × unit price. */
export function addOrder({ random, unique }: RandomContext, out: RecordSink, spec: OrderSpec): OrderGraph {
  const orderId = randomUUID();
  const lines = pickIndexes(random, spec.products.length, spec.itemsPerOrder).map((productIndex) => ({
    product: spec.products[productIndex]!,
    quantity: random.int(1, 4),
  }));
  const totalCents = lines.reduce((sum, line) => sum + line.quantity * line.product.priceCents, 0);
  const placedAt = random.recentDate(90);

  const order = out.add('orders', {
    id: orderId,
    userId: spec.userId,
    number: unique.code('ORD', spec.index),
    status: spec.status,
    totalCents,
    currency: random.pick(CURRENCIES),
    placedAt,
  });
  const items = lines.map((line) =>
    out.add('order_items', {
      id: randomUUID(),
      orderId,
      productId: line.product.id,
      quantity: line.quantity,
      unitPriceCents: line.product.priceCents,
    }),
  );

  const lifecycle = ORDER_LIFECYCLE[spec.status];
  const method = random.weighted(PAYMENT_METHODS);
  const card = random.pick(TEST_CARD_LAST4);
  const payment = out.add('payments', {
    id: randomUUID(),
    orderId,
    status: lifecycle.payment,
    method,
    amountCents: totalCents,
    cardLast4: method === 'card' ? card : null,
  });

  if (!lifecycle.shipment) return { order, items, payment };
  const shippedAt = new Date(placedAt.getTime() + random.int(1, 3) * DAY_MS);
  const deliveredAt = new Date(shippedAt.getTime() + random.int(1, 5) * DAY_MS);
  const shipment = out.add('shipments', {
    id: randomUUID(),
    orderId,
    carrier: random.pick(CARRIERS),
    trackingNumber: unique.code('TRK', spec.index),
    status: lifecycle.shipment,
    shippedAt,
    deliveredAt: lifecycle.shipment === 'delivered' ? deliveredAt : null,
  });
  return { order, items, payment, shipment };
}
