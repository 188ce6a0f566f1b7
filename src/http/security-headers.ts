import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's defaults, minus two that break a plain-HTTP test service: HSTS
 * (testapi terminates no TLS; pinning a shared test host to HTTPS would lock
 * browsers out) and upgrade-insecure-requests (it would turn the /docs page's
 * own script and style requests into https:// ones that nothing answers).
 * swagger-ui-express loads its scripts from 'self' and styles inline, which the
 * default CSP already allows.
 */
const HELMET_OPTIONS = {
  strictTransportSecurity: false,
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
} as const;

/**
 * With these options helmet's headers are the same for every request, so
 * they are computed once (by running helmet against a recording response)
 * and set in one loop: helmet itself runs a dozen middleware functions per
 * request to set them again.
 */
export function securityHeaders(): RequestHandler {
  const headers: Array<[string, string]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, String(value)]),
    removeHeader: (name: string) => removed.push(name),
  } as unknown as ServerResponse;
  let done = false;
  helmet(HELMET_OPTIONS)({} as IncomingMessage, recorder, () => {
    done = true;
  });
  // helmet with static options finishes synchronously; anything else would need it per request.
  if (!done) throw new Error('securityHeaders: helmet did not finish synchronously; run it per request instead');
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
