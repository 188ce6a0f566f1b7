import { Type } from 'class-transformer';
import { IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { Optional } from '../validation/dto-decorators';
import { defineScenario } from '../provisioning/scenario-recipe';
import { buildProduct } from './factories/product.factory';
import { ProductOverrides } from './overrides.dto';

export class CatalogScenarioParams {
  @Optional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  products = 20;
}

export class CatalogScenarioOverrides {
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProductOverrides)
  product?: ProductOverrides;
}

export const catalogScenario = defineScenario({
  name: 'catalog',
  description: 'Products with unique SKUs, names, categories, prices and stock; overrides apply to every product.',
  version: 1,
  params: CatalogScenarioParams,
  overrides: CatalogScenarioOverrides,
  estimateRows: (params) => params.products,
  async build(ctx) {
    const { params, overrides, out } = ctx;
    const products = [];
    for (let index = 0; index < params.products; index += 1) {
      products.push(out.add('products', buildProduct(ctx, index, overrides.product)));
      if (index % 1_000 === 999) await out.checkpoint();
    }
    return { products };
  },
});
