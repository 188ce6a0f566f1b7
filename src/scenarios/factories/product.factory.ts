import { randomUUID } from 'node:crypto';
import type { NewRecord, RandomContext } from '../../provisioning/scenario-recipe';
import type { ProductOverrides } from '../overrides.dto';

export function buildProduct({ faker, random, unique }: RandomContext, index: number, overrides: ProductOverrides = {}): NewRecord<'products'> {
  const name = faker.commerce.productName();
  const category = faker.commerce.department();
  const priceCents = random.int(199, 49_999);
  const stock = random.int(0, 500);
  return {
    id: randomUUID(),
    sku: unique.code('SKU', index),
    name,
    category: overrides.category ?? category,
    priceCents: overrides.priceCents ?? priceCents,
    stock: overrides.stock ?? stock,
  };
}
