import { randomUUID } from 'node:crypto';
import type { UserRole, UserStatus } from '../../domain/vocabulary';
import type { NewRecord, RandomContext } from '../../provisioning/scenario-recipe';
import type { UserOverrides } from '../overrides.dto';

export const GENERATED_EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

export interface UserSpec {
  index: number;
  role: UserRole;
  status: UserStatus;
  /** Domain of the generated address; a random reserved one when absent. */
  domain?: string;
  overrides?: UserOverrides;
}

/**
 * A user row. Every value is drawn whether or not it is overridden, so an
 * override never shifts the rest of the graph. Phones are NANP 555-0100 to
 * 555-0199, reserved for fiction: they ring nobody.
 */
export function buildUser({ faker, random, unique }: RandomContext, spec: UserSpec): NewRecord<'users'> {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const domain = random.pick(GENERATED_EMAIL_DOMAINS);
  const hasPhone = random.chance(0.8);
  const line = random.int(0, 99);
  const phone = `+1-${random.int(201, 989)}-555-01${line < 10 ? '0' : ''}${line}`;
  const overrides = spec.overrides ?? {};
  return {
    id: randomUUID(),
    email: overrides.email ?? unique.email(`${firstName}.${lastName}`, spec.index, spec.domain ?? domain),
    firstName: overrides.firstName ?? firstName,
    lastName: overrides.lastName ?? lastName,
    phone: overrides.phone ?? (hasPhone ? phone : null),
    role: spec.role,
    status: spec.status,
  };
}

export function buildAddress({ faker }: RandomContext, userId: string): NewRecord<'addresses'> {
  return {
    id: randomUUID(),
    userId,
    line1: faker.location.streetAddress(),
    city: faker.location.city(),
    postalCode: faker.location.zipCode('#####'),
    countryCode: 'US',
  };
}
