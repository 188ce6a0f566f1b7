/** What a tag may look like (openapi.yaml components/schemas/Tag). */
export const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const TAG_FORMAT_MESSAGE =
  'must start with a letter or digit and contain only letters, digits, ".", "_", ":" and "-" (at most 64 characters)';

/**
 * A tag prefix (GET /tags?prefix=, POST /cleanup {prefix}): 1 to 64 characters
 * of anything but NUL (PostgreSQL text cannot hold it). Never empty: an empty
 * prefix would match every tag.
 */
export const TAG_PREFIX_PATTERN = /^[^\u0000]{1,64}$/;

export const TAG_PREFIX_MESSAGE = 'prefix must be 1 to 64 characters, without NUL (an empty prefix would match every tag)';

export function isValidTag(value: unknown): value is string {
  return typeof value === 'string' && TAG_PATTERN.test(value);
}
