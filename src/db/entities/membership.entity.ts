import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../../domain/vocabulary';
import { sqlInList } from './columns';
import { Organization } from './organization.entity';
import { User } from './user.entity';

@Entity({ name: 'memberships' })
@Index('uq_memberships_organization_user', ['organizationId', 'userId'], { unique: true })
@Check('chk_memberships_role', `"role" IN (${sqlInList(MEMBERSHIP_ROLES)})`)
export class Membership {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_memberships' })
  id!: string;

  @Index('idx_memberships_test_tag')
  @Column({ name: 'test_tag', type: 'text' })
  testTag!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @ManyToOne(() => Organization, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_memberships_organization' })
  organization?: Organization;

  @Index('idx_memberships_user_id')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_memberships_user' })
  user?: User;

  @Column({ type: 'text' })
  role!: MembershipRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
