import { randomUUID } from 'node:crypto';
import { Type } from 'class-transformer';
import { IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import type { MembershipRole } from '../domain/vocabulary';
import { Optional } from '../validation/dto-decorators';
import { defineScenario } from '../provisioning/scenario-recipe';
import { buildUser } from './factories/user.factory';
import { OrganizationOverrides, UserOverrides } from './overrides.dto';

export class OrganizationScenarioParams {
  @Optional()
  @IsInt()
  @Min(1)
  @Max(200)
  members = 5;
}

export class OrganizationScenarioOverrides {
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => OrganizationOverrides)
  organization?: OrganizationOverrides;

  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => UserOverrides)
  owner?: UserOverrides;
}

const MEMBER_ROLES: Array<{ weight: number; value: MembershipRole }> = [
  { weight: 2, value: 'admin' },
  { weight: 6, value: 'member' },
  { weight: 2, value: 'viewer' },
];

function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50)
      .replace(/-+$/, '') || 'org'
  );
}

export const organizationScenario = defineScenario({
  name: 'organization',
  description:
    'An organization, its owner (membership role owner, not counted in members) and members with roles admin, member or viewer; addresses on the organization domain.',
  version: 1,
  params: OrganizationScenarioParams,
  overrides: OrganizationScenarioOverrides,
  uniqueOverrides: { uq_users_email: 'overrides.owner.email' },
  estimateRows: (params) => 1 + 2 * (params.members + 1),
  build(ctx) {
    const { faker, random, params, overrides, out } = ctx;
    // Drawn even when overridden, so an override never shifts the rest of the graph.
    const generatedName = faker.company.name();
    const name = overrides.organization?.name ?? generatedName;
    const organization = out.add('organizations', {
      id: randomUUID(),
      name,
      slug: overrides.organization?.slug ?? slugify(name),
      domain: overrides.organization?.domain ?? `${slugify(name)}.example`,
    });
    const join = (index: number, role: MembershipRole, userOverrides?: UserOverrides) => {
      const user = out.add(
        'users',
        buildUser(ctx, { index, role: 'customer', status: 'active', domain: organization.domain, overrides: userOverrides }),
      );
      const membership = out.add('memberships', { id: randomUUID(), organizationId: organization.id, userId: user.id, role });
      return { user, membership };
    };
    const owner = join(0, 'owner', overrides.owner);
    const members = Array.from({ length: params.members }, (_, index) => join(index + 1, random.weighted(MEMBER_ROLES)));
    return { organization, owner, members };
  },
});
