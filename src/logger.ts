import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';
import { safeRequest } from './observability/safe-request-log';

export type { Logger };

/** JSON logs to stdout (or `destination`); secrets never reach them. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'testapi' },
    // Any `req` logged through this logger, not only the request line: see safe-request-log.ts.
    serializers: { req: safeRequest },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-testapi-key"]', 'req.headers.cookie', 'headers.authorization', 'headers["x-testapi-key"]', 'databaseUrl', 'password'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
