import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Stored replies for Idempotency-Key retries. Lives in PostgreSQL so that
 * every replica sharing the database sees the same keys.
 */
@Entity({ name: 'testapi_idempotency_keys' })
export class IdempotencyKey {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_testapi_idempotency_keys' })
  key!: string;

  @Index('idx_testapi_idempotency_keys_tag')
  @Column({ type: 'text' })
  tag!: string;

  @Column({ type: 'text' })
  scenario!: string;

  /** sha256 of the canonical JSON of scenario + body. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Index('idx_testapi_idempotency_keys_expires_at')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
