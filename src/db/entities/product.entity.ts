import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'products' })
@Check('chk_products_price_cents', `"price_cents" >= 0`)
@Check('chk_products_stock', `"stock" >= 0`)
export class Product {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_products' })
  id!: string;

  @Index('idx_products_test_tag')
  @Column({ name: 'test_tag', type: 'text' })
  testTag!: string;

  @Index('uq_products_sku', { unique: true })
  @Column({ type: 'text' })
  sku!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  category!: string;

  @Column({ name: 'price_cents', type: 'integer' })
  priceCents!: number;

  @Column({ type: 'integer' })
  stock!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
