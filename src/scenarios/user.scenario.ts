import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from '../domain/vocabulary';
import { Optional } from '../validation/dto-decorators';
import { defineScenario } from '../provisioning/scenario-recipe';
import { buildAddress, buildUser } from './factories/user.factory';
import { UserOverrides } from './overrides.dto';

export class UserScenarioParams {
  @Optional()
  @IsIn(USER_ROLES)
  role: UserRole = 'customer';

  @Optional()
  @IsIn(USER_STATUSES)
  status: UserStatus = 'active';

  @Optional()
  @IsInt()
  @Min(0)
  @Max(5)
  addresses = 1;
}

export class UserScenarioOverrides {
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => UserOverrides)
  user?: UserOverrides;
}

export const userScenario = defineScenario({
  name: 'user',
  description: 'One user with a role, a status and 0 to 5 addresses.',
  version: 1,
  params: UserScenarioParams,
  overrides: UserScenarioOverrides,
  uniqueOverrides: { uq_users_email: 'overrides.user.email' },
  estimateRows: (params) => 1 + params.addresses,
  build(ctx) {
    const { params, overrides, out } = ctx;
    const user = out.add('users', buildUser(ctx, { index: 0, role: params.role, status: params.status, overrides: overrides.user }));
    const addresses = Array.from({ length: params.addresses }, () => out.add('addresses', buildAddress(ctx, user.id)));
    return { user, addresses };
  },
});
