import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from '../../domain/vocabulary';
import { sqlInList } from './columns';

@Entity({ name: 'users' })
@Check('chk_users_role', `"role" IN (${sqlInList(USER_ROLES)})`)
@Check('chk_users_status', `"status" IN (${sqlInList(USER_STATUSES)})`)
export class User {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id!: string;

  @Index('idx_users_test_tag')
  @Column({ name: 'test_tag', type: 'text' })
  testTag!: string;

  @Index('uq_users_email', { unique: true })
  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'first_name', type: 'text' })
  firstName!: string;

  @Column({ name: 'last_name', type: 'text' })
  lastName!: string;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ type: 'text' })
  role!: UserRole;

  @Column({ type: 'text' })
  status!: UserStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
