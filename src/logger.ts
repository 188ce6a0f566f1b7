import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config';
import { safeRequest } from './observability/safe-request-log';

export type { Logger };

/**
 * One line per entry for a person at a terminal: time, level, message, then
 * the request id and tag of a request line; other fields inline. pino-pretty
 * runs in-process (not as a transport worker), so nothing is lost at exit.
 */
function prettyStream(destination: DestinationStream | undefined, colorize: boolean): DestinationStream {
  return pretty({
    destination: destination ?? 1,
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,req,route,status,ms,tag',
    messageFormat: '{msg}{if req.id} [{req.id}]{end}{if tag} tag={tag}{end}',
    sync: true,
  });
}

/** Which format stdout gets: LOG_FORMAT when set, else pretty for a terminal and JSON for everything else. */
export function resolveLogFormat(configured: LogFormat | undefined, stdoutIsTerminal: boolean): LogFormat {
  return configured ?? (stdoutIsTerminal ? 'pretty' : 'json');
}

/** JSON logs (or pretty ones) to stdout or `destination`; secrets never reach them. */
export function createLogger(level: LogLevel, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
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
  if (format === 'pretty') return pino(options, prettyStream(destination, destination === undefined && process.stdout.isTTY === true));
  return destination ? pino(options, destination) : pino(options);
}
