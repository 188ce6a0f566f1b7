import type { AppError } from '../errors';

/**
 * RFC 9457 problem details: how an AppError looks on the wire. Only the error
 * handler calls this; everything below the HTTP layer throws AppError
 * (src/errors.ts) and never sees the media type.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemBody(problem: AppError, instance: string, requestId: string): Record<string, unknown> {
  return {
    type: problem.type,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance,
    requestId,
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...problem.extensions,
  };
}
