import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PAYMENT_METHODS, PAYMENT_STATUSES, type PaymentMethod, type PaymentStatus } from '../../domain/vocabulary';
import { sqlInList } from './columns';
import { Order } from './order.entity';

@Entity({ name: 'payments' })
@Check('chk_payments_status', `"status" IN (${sqlInList(PAYMENT_STATUSES)})`)
@Check('chk_payments_method', `"method" IN (${sqlInList(PAYMENT_METHODS)})`)
@Check('chk_payments_amount_cents', `"amount_cents" >= 0`)
export class Payment {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_payments' })
  id!: string;

  @Index('idx_payments_test_tag')
  @Column({ name: 'test_tag', type: 'text' })
  testTag!: string;

  @Index('idx_payments_order_id')
  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @ManyToOne(() => Order, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_payments_order' })
  order?: Order;

  @Column({ type: 'text' })
  status!: PaymentStatus;

  @Column({ type: 'text' })
  method!: PaymentMethod;

  @Column({ name: 'amount_cents', type: 'integer' })
  amountCents!: number;

  /** Last four digits of a documented test card, never a real card number. */
  @Column({ name: 'card_last4', type: 'char', length: 4, nullable: true })
  cardLast4!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
