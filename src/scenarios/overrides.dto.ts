import { IsEmail, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { IsReservedDomain, Optional } from '../validation/dto-decorators';

/**
 * Override DTOs shared by several scenarios. Class names are the schema
 * names in openapi.yaml (a contract test compares them).
 */
export class UserOverrides {
  @Optional()
  @IsEmail({ allow_utf8_local_part: false })
  @IsReservedDomain()
  email?: string;

  @Optional()
  @IsString()
  @Length(1, 100)
  firstName?: string;

  @Optional()
  @IsString()
  @Length(1, 100)
  lastName?: string;

  @Optional()
  @IsString()
  @Length(1, 40)
  phone?: string;
}

export class OrganizationOverrides {
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Optional()
  @IsString()
  @Length(1, 100)
  slug?: string;

  /** Members' addresses are generated on this domain, so it must be reserved too. */
  @Optional()
  @IsString()
  @Length(1, 253)
  @IsReservedDomain({ domainOnly: true })
  domain?: string;
}

export class ProductOverrides {
  @Optional()
  @IsString()
  @Length(1, 100)
  category?: string;

  @Optional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents?: number;

  @Optional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  stock?: number;
}
