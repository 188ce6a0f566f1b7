import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { findOpenApiFile } from './docs.routes';

/**
 * Stricter than the service-wide policy (which lets swagger-ui at /docs use
 * inline styles): the page loads its own script, style and icon from this
 * origin and nothing else; Trusted Types make any HTML-parsing sink (innerHTML
 * and friends) throw, so dynamic text can only ever be text.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** Where `npm run build` puts the page (web/ compiled and copied): dist/web next to openapi.yaml's folder. */
export function pageDirectory(): string {
  return path.join(path.dirname(findOpenApiFile()), 'dist', 'web');
}

/** A short hash of every asset: a new build gets new asset URLs, so they can be cached for good. */
function assetsVersion(assetsDir: string): string {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(assetsDir).sort()) {
    hash.update(name).update('\0').update(fs.readFileSync(path.join(assetsDir, name))).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * GET / (the environment page) and its assets under /page/<version>/. The page
 * holds no data: it calls the public API from the browser with the user's key,
 * so page and assets are public (see auth.ts). Without a build (tests run from
 * source before `npm run build`) no route is added and / stays a 404.
 */
export function pageRoutes(dir = pageDirectory()): Router {
  const router = Router();
  const indexFile = path.join(dir, 'index.html');
  const assetsDir = path.join(dir, 'assets');
  if (!fs.existsSync(indexFile) || !fs.existsSync(assetsDir)) return router;

  const base = `/page/${assetsVersion(assetsDir)}`;
  const html = fs.readFileSync(indexFile, 'utf8').replaceAll('{{assets}}', base);

  router.get('/', (_req, res) => {
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    // Revalidated on every visit: it names the current asset version.
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  });
  router.use(
    base,
    express.static(assetsDir, { index: false, redirect: false, dotfiles: 'ignore', immutable: true, maxAge: '365d', fallthrough: true }),
  );
  return router;
}
