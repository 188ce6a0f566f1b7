import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

@Entity({ name: 'addresses' })
export class Address {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_addresses' })
  id!: string;

  @Index('idx_addresses_test_tag')
  @Column({ name: 'test_tag', type: 'text' })
  testTag!: string;

  @Index('idx_addresses_user_id')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_addresses_user' })
  user?: User;

  @Column({ type: 'text' })
  line1!: string;

  @Column({ type: 'text' })
  city!: string;

  @Column({ name: 'postal_code', type: 'text' })
  postalCode!: string;

  @Column({ name: 'country_code', type: 'char', length: 2 })
  countryCode!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
