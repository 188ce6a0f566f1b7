import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Pact provider-state mappings (PUT /pact/mappings/{name}): which scenario
 * each provider state provisions. In PostgreSQL so that every replica serves
 * the same mappings. An own-state table like the tag registry: no foreign keys
 * to or from it, so it can move to another schema on its own.
 */
@Entity({ name: 'testapi_pact_mappings' })
export class PactMapping {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_testapi_pact_mappings' })
  name!: string;

  /** The mapping as stored after validation, defaults filled in (see src/pact/mapping.ts). */
  @Column({ type: 'jsonb' })
  definition!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
