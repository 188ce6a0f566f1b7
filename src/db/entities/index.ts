import { Address } from './address.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { Membership } from './membership.entity';
import { OrderItem } from './order-item.entity';
import { Order } from './order.entity';
import { Organization } from './organization.entity';
import { PactMapping } from './pact-mapping.entity';
import { Payment } from './payment.entity';
import { Product } from './product.entity';
import { Shipment } from './shipment.entity';
import { TestTag } from './test-tag.entity';
import { User } from './user.entity';

export { Address, IdempotencyKey, Membership, Order, OrderItem, Organization, PactMapping, Payment, Product, Shipment, TestTag, User };

/** The explicit entity list of the one DataSource. */
export const ENTITIES = [Organization, User, Membership, Address, Product, Order, OrderItem, Payment, Shipment, TestTag, IdempotencyKey, PactMapping];
