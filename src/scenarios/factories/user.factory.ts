import { randomUUID } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import type { UserRole, UserStatus } from '../../db/entities/columns';
import type { NewRecord, UniqueValues } from '../../provisioning/scenario-recipe';
import type { UserOverrides } from '../overrides.dto';

export const GENERATED_EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

/** NANP numbers 555-0100 to 555-0199 are reserved for fiction: they ring nobody. */
function fictionalPhone(faker: Faker): string {
  const area = faker.number.int({ min: 201, max: 989 });
  const line = faker.number.int({ min: 0, max: 99 });
  return `+1-${area}-555-01${line < 10 ? '0' : ''}${line}`;
}

export interface UserSpec {
  index: number;
  role: UserRole;
  status: UserStatus;
  /** Domain of the generated address; a random reserved one when absent. */
  domain?: string;
  overrides?: UserOverrides;
}

/** A user row. Faker draws the same values whether or not they are overridden, so overriding one field never shifts the others. */
export function buildUser(faker: Faker, unique: UniqueValues, spec: UserSpec): NewRecord<'users'> {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const domain = faker.helpers.arrayElement(GENERATED_EMAIL_DOMAINS);
  const hasPhone = faker.datatype.boolean({ probability: 0.8 });
  const phone = fictionalPhone(faker);
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

export function buildAddress(faker: Faker, userId: string): NewRecord<'addresses'> {
  return {
    id: randomUUID(),
    userId,
    line1: faker.location.streetAddress(),
    city: faker.location.city(),
    postalCode: faker.location.zipCode('#####'),
    countryCode: 'US',
  };
}
