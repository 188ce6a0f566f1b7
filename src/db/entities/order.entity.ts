import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/vocabulary';
import { sqlInList } from './columns';
import { User } from './user.entity';

@Entity({ name: 'orders' })
@Check('chk_orders_status', `"status" IN (${sqlInList(ORDER_STATUSES)})`)
@Check('chk_orders_total_cents', `"total_cents" >= 0`)
export class Order {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_orders' })
  id!: string;

  @Index('idx_orders_test_tag')
  @Column({ name: 'test_tag', type: 'text' })
  testTag!: string;

  @Index('idx_orders_user_id')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_orders_user' })
  user?: User;

  @Index('uq_orders_number', { unique: true })
  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text' })
  status!: OrderStatus;

  @Column({ name: 'total_cents', type: 'integer' })
  totalCents!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
