import type { components } from '@testapi/client/src/generated/openapi.js';

/** An RFC 9457 problem as testapi answers it. */
export type Problem = components['schemas']['Problem'];

/** A failed API call: the problem the service answered, or one made up for a network failure. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.title} (HTTP ${problem.status}): ${problem.detail}`);
  }

  get status(): number {
    return this.problem.status;
  }
}

export function isProblem(value: unknown): value is Problem {
  const candidate = value as Partial<Problem> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.title === 'string' && typeof candidate.status === 'number';
}

/**
 * A problem in words, one sentence per line: what failed and why, each field
 * error, and for a 409 'tag-referenced' the tag that holds the reference.
 */
export function describeProblem(problem: Problem): string[] {
  const lines = [`${problem.title} (HTTP ${problem.status}): ${problem.detail}`];
  for (const error of problem.errors ?? []) lines.push(`${error.path}: ${error.message}`);
  if (/tag-referenced$/.test(problem.type) && typeof problem.referencingTag === 'string') {
    lines.push(`Referenced by tag ${problem.referencingTag} (table ${String(problem.table)} → ${String(problem.referencedTable)}).`);
  }
  if (problem.requestId) lines.push(`Request id: ${problem.requestId}`);
  return lines;
}

export function describeError(error: unknown): string[] {
  if (error instanceof ApiError) return describeProblem(error.problem);
  return [error instanceof Error ? error.message : String(error)];
}
