import { getMetadataStorage, type ValidationError } from 'class-validator';
import type { FieldError } from '../errors';

/**
 * class-validator's error tree as the API reports it: one `{ path, message }`
 * per offending field, for every DTO (provisioning bodies, the cleanup body).
 */
function knownFields(target: object | undefined): string[] {
  if (!target) return [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

/** When a field breaks several rules, the most basic one explains it best: a string given for an integer is "not an integer", not "too large". */
const CONSTRAINT_PRIORITY = ['whitelistValidation', 'nestedValidation', 'isObject', 'isString', 'isInt', 'isIn', 'isEmail'];

function firstConstraint(constraints: Record<string, string>): [string, string] {
  const entries = Object.entries(constraints);
  for (const name of CONSTRAINT_PRIORITY) {
    const found = entries.find(([constraint]) => constraint === name);
    if (found) return found;
  }
  return entries[0]!;
}

/** class-validator's tree → flat `{ path, message }`, one per field, with dotted paths from the body's root. */
export function toFieldErrors(errors: ValidationError[], prefix: string): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      const [constraint, message] = firstConstraint(error.constraints);
      if (constraint === 'whitelistValidation') {
        const allowed = knownFields(error.target);
        out.push({ path, message: `${path} is not a known field${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}` });
      } else if (constraint === 'nestedValidation') {
        out.push({ path, message: `${path} must be an object` });
      } else {
        out.push({ path, message: message.startsWith(`${error.property} `) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}` });
      }
      continue;
    }
    if (error.children?.length) out.push(...toFieldErrors(error.children, path));
  }
  return out;
}
