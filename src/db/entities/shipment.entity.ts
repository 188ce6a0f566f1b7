import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SHIPMENT_STATUSES, type ShipmentStatus } from '../../domain/vocabulary';
import { sqlInList } from './columns';
import { Order } from './order.entity';

@Entity({ name: 'shipments' })
@Check('chk_shipments_status', `"status" IN (${sqlInList(SHIPMENT_STATUSES)})`)
export class Shipment {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_shipments' })
  id!: string;

  @Index('idx_shipments_test_tag')
  @Column({ name: 'test_tag', type: 'text' })
  testTag!: string;

  @Index('idx_shipments_order_id')
  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @ManyToOne(() => Order, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_shipments_order' })
  order?: Order;

  @Column({ type: 'text' })
  carrier!: string;

  @Column({ name: 'tracking_number', type: 'text' })
  trackingNumber!: string;

  @Column({ type: 'text' })
  status!: ShipmentStatus;

  @Column({ name: 'shipped_at', type: 'timestamptz' })
  shippedAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
