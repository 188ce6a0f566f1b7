import { once } from 'node:events';
import { Router, type RequestHandler, type Response } from 'express';
import { currentRequestContext } from '../db/request-context';
import { AppError, validationError, type FieldError } from '../errors';
import { exportTag, type ExportDeps, type TextSink } from '../snapshots/export.use-case';
import { importSnapshot, type ImportDeps } from '../snapshots/import.use-case';
import { parseTagParam } from '../tags/tag-query';

export type SnapshotsRoutesDeps = ExportDeps & ImportDeps;

const IMPORT_PATH = /^\/tags\/[^/]+\/import\/?$/;
const NDJSON = 'application/x-ndjson';
const MAX_TTL_SECONDS = 2_592_000;

/**
 * The app's JSON parser, except for POST /tags/{tag}/import: that route reads
 * its own body as a stream, up to MAX_IMPORT_BYTES instead of the JSON limit.
 */
export function exceptSnapshotImports(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'POST' && IMPORT_PATH.test(req.path)) {
      next();
      return;
    }
    parser(req, res, next);
  };
}

/**
 * Writes to the response, waiting for 'drain' when its buffer is full: the
 * export reads no faster than the client takes. The wait ends when the
 * request is abandoned too (REQUEST_TIMEOUT_MS, client gone), so a reader
 * that stops reading is cut off rather than holding the export's connection.
 */
function responseSink(res: Response, contentType: string): TextSink {
  res.status(200).setHeader('Content-Type', contentType);
  const signal = currentRequestContext()?.signal;
  const gone = (): Error => (signal?.aborted ? (signal.reason as Error) : new Error('the client went away during the export'));
  return {
    async write(text) {
      if (res.destroyed || signal?.aborted) throw gone();
      if (res.write(text)) return;
      // Listeners are registered before any event can fire (events come on a later tick); a closed response ends the wait too.
      if (res.destroyed) throw gone();
      // The waits that lose the race are taken off again: left behind, each write added listeners to the response.
      const settled = new AbortController();
      const waits: Array<Promise<unknown>> = [once(res, 'drain', { signal: settled.signal }), once(res, 'close', { signal: settled.signal })];
      if (signal) waits.push(once(signal, 'abort', { signal: settled.signal }));
      try {
        await Promise.race(waits);
      } finally {
        settled.abort();
        for (const wait of waits) wait.catch(() => undefined);
      }
      if (signal?.aborted) throw gone();
    },
  };
}

function parseImportQuery(query: Record<string, unknown>): { keepUniqueValues: boolean | undefined; ttlSeconds: number | undefined } {
  const errors: FieldError[] = [];
  for (const name of Object.keys(query)) {
    if (name !== 'keepUniqueValues' && name !== 'ttlSeconds') errors.push({ path: name, message: `unknown query parameter ${name}; expected keepUniqueValues or ttlSeconds` });
  }
  const keep = query.keepUniqueValues;
  if (keep !== undefined && keep !== 'true' && keep !== 'false') errors.push({ path: 'keepUniqueValues', message: 'keepUniqueValues must be true or false' });
  const ttl = query.ttlSeconds;
  if (ttl !== undefined && !(typeof ttl === 'string' && /^\d{1,7}$/.test(ttl) && Number(ttl) >= 1 && Number(ttl) <= MAX_TTL_SECONDS)) {
    errors.push({ path: 'ttlSeconds', message: `ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}` });
  }
  if (errors.length > 0) throw validationError(errors);
  return { keepUniqueValues: keep === undefined ? undefined : keep === 'true', ttlSeconds: ttl === undefined ? undefined : Number(ttl) };
}

/** GET /tags/{tag}/export and POST /tags/{tag}/import: a tag's rows as a file, and back under another tag. */
export function snapshotsRoutes(deps: SnapshotsRoutesDeps): Router {
  const router = Router();

  router.get('/tags/:tag/export', async (req, res) => {
    const tag = parseTagParam(req.params.tag);
    const encoding = req.accepts(['application/json', NDJSON]) === NDJSON ? 'ndjson' : 'json';
    try {
      await exportTag(deps, tag, encoding, () => responseSink(res, encoding === 'ndjson' ? `${NDJSON}; charset=utf-8` : 'application/json; charset=utf-8'));
    } catch (error) {
      // Once rows are on the wire a problem answer cannot follow: cut the response, so the client sees a broken file, not a short one.
      if (res.headersSent) {
        res.destroy(error as Error);
        return;
      }
      throw error;
    }
    res.end();
  });

  router.post('/tags/:tag/import', async (req, res) => {
    const tag = parseTagParam(req.params.tag);
    const options = parseImportQuery(req.query as Record<string, unknown>);
    const media = req.is(['application/json', 'application/*+json', NDJSON]);
    if (!media) {
      throw new AppError({
        type: 'unsupported-media-type',
        title: 'Unsupported media type',
        status: 415,
        detail: `Send the snapshot as application/json or ${NDJSON} (what GET /tags/{tag}/export writes).`,
      });
    }
    const result = await importSnapshot(deps, {
      tag,
      body: req,
      media: media === NDJSON ? 'ndjson' : 'json',
      contentEncoding: req.get('Content-Encoding'),
      contentLength: /^\d{1,15}$/.test(req.get('Content-Length') ?? '') ? Number(req.get('Content-Length')) : undefined,
      ...options,
    });
    res.status(201).json(result);
  });

  return router;
}
