import { randomUUID } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import type { NewRecord, UniqueValues } from '../../provisioning/scenario-recipe';
import type { ProductOverrides } from '../overrides.dto';

export function buildProduct(faker: Faker, unique: UniqueValues, index: number, overrides: ProductOverrides = {}): NewRecord<'products'> {
  const name = faker.commerce.productName();
  const category = faker.commerce.department();
  const priceCents = faker.number.int({ min: 199, max: 49_999 });
  const stock = faker.number.int({ min: 0, max: 500 });
  return {
    id: randomUUID(),
    sku: unique.code('SKU', index),
    name,
    category: overrides.category ?? category,
    priceCents: overrides.priceCents ?? priceCents,
    stock: overrides.stock ?? stock,
  };
}
