import { randomBytes } from 'node:crypto';
import type { UniqueValues } from './scenario-recipe';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * 12 characters of [a-z0-9] (62 bits): two requests sharing one is about as
 * likely as a uuid v4 collision within a few million requests, and unique
 * indexes would turn even that into a 409, never into mixed data.
 */
export function newRequestId(): string {
  const bytes = randomBytes(12);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % 36];
  return id;
}

/** Unique-field builders for one request; the row index keeps rows of the request apart. */
export function uniqueValues(requestId: string = newRequestId()): UniqueValues {
  const upper = requestId.toUpperCase();
  return {
    requestId,
    email(local, index, domain) {
      const safe = local
        .normalize('NFKD')
        .toLowerCase()
        .replace(/[^a-z0-9.]+/g, '')
        .replace(/\.{2,}/g, '.')
        .replace(/^\.|\.$/g, '');
      return `${safe || 'user'}.${requestId}.${index}@${domain}`;
    },
    code(prefix, index) {
      return `${prefix}-${upper}-${index}`;
    },
  };
}
