/** What a tag may look like (openapi.yaml components/schemas/Tag). */
export const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const TAG_FORMAT_MESSAGE =
  'must start with a letter or digit and contain only letters, digits, ".", "_", ":" and "-" (at most 64 characters)';

export function isValidTag(value: unknown): value is string {
  return typeof value === 'string' && TAG_PATTERN.test(value);
}
