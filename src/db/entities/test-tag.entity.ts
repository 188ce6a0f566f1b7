import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The tag registry: a tag owns every domain row whose test_tag equals it. */
@Entity({ name: 'test_tags' })
export class TestTag {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_test_tags' })
  tag!: string;

  @Index('idx_test_tags_created_at')
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Index('idx_test_tags_expires_at')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  labels!: Record<string, string>;

  /** When the sweeper last kept this expired tag (see migration 1764960000001). */
  @Column({ name: 'kept_at', type: 'timestamptz', nullable: true })
  keptAt!: Date | null;

  /** Every reference that kept it then (TagReference[] of src/tags/tag.repository.ts). */
  @Column({ name: 'kept_because', type: 'jsonb', nullable: true })
  keptBecause!: unknown[] | null;
}
