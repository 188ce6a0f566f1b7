/**
 * Inject paths: where a provider-state value comes from in a scenario's
 * `data`, e.g. `user.id` or `orders[0].id`. One grammar for checking a
 * mapping against the result schema and for reading the value after setup.
 */
export type PathSegment = { key: string } | { index: number };

const PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d{1,6}\])*$/;
const SEGMENT = /\.?([A-Za-z_$][\w$]*)|\[(\d+)\]/g;

export const PATH_FORMAT_MESSAGE = 'must be a path into the scenario result such as user.id or orders[0].id';

/** The path's segments, or undefined when it does not follow the grammar. */
export function parsePath(path: string): PathSegment[] | undefined {
  if (!PATH.test(path)) return undefined;
  return [...path.matchAll(SEGMENT)].map((match) => (match[1] !== undefined ? { key: match[1] } : { index: Number(match[2]) }));
}

/** The value at `segments` in `data`; undefined when any step is missing. Own properties only. */
export function valueAt(data: unknown, segments: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of segments) {
    if ('index' in segment) {
      if (!Array.isArray(current)) return undefined;
      current = current[segment.index];
    } else {
      if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, segment.key)) return undefined;
      current = (current as Record<string, unknown>)[segment.key];
    }
  }
  return current;
}
