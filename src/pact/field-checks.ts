import type { FieldError } from '../errors';
import type { JsonObject } from './json';

/** Names class-transformer or a plain lookup could resolve through Object.prototype. */
export function isReservedKey(key: string): boolean {
  return key === '__proto__' || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}

export function unknownFields(value: JsonObject, allowed: readonly string[], path: string, errors: FieldError[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) errors.push({ path: `${path}.${key}`, message: `${path}.${key} is not a known field (allowed: ${allowed.join(', ')})` });
  }
}
