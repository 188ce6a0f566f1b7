// Decorator metadata (design:type) must exist before any DTO class is declared; every DTO file imports this module.
import 'reflect-metadata';
import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * Optional, but not nullable: an absent field takes the DTO's default,
 * while `null` is validated (and rejected) like any other wrong type.
 * class-validator's @IsOptional would let `null` through and overwrite the default.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** Domains reserved for documentation and tests (RFC 2606, RFC 6761): mail sent there reaches nobody. */
const RESERVED_DOMAIN = /^(?:[a-z0-9-]+\.)*(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:test|example|invalid))$/i;

export const RESERVED_DOMAINS_TEXT = 'example.com, example.net, example.org, *.test, *.example or *.invalid';

export function isReservedDomain(domain: string): boolean {
  return domain.length <= 253 && RESERVED_DOMAIN.test(domain);
}

export function isReservedEmail(email: string): boolean {
  const at = email.lastIndexOf('@');
  return at > 0 && isReservedDomain(email.slice(at + 1));
}

/** The address (or, with `domainOnly`, the domain) must be on a reserved domain: testapi never writes a deliverable address. */
export function IsReservedDomain(options: { domainOnly?: boolean } & ValidationOptions = {}): PropertyDecorator {
  const { domainOnly = false, ...validationOptions } = options;
  return (target, propertyName) => {
    registerDecorator({
      name: domainOnly ? 'isReservedDomain' : 'isReservedEmail',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => `${args.property} must be on a reserved domain (${RESERVED_DOMAINS_TEXT})`,
        ...validationOptions,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && (domainOnly ? isReservedDomain(value) : isReservedEmail(value)),
      },
    });
  };
}
