import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import YAML from 'yaml';

/** openapi.yaml sits at the project root, next to package.json, in source and in dist. */
export function findOpenApiFile(start = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'openapi.yaml');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`openapi.yaml not found above ${start}`);
    dir = parent;
  }
}

const SERVED_FROM = 'This testapi service, relative to where this document is served (any port, behind any path prefix)';

/**
 * The served copies say where they are served instead of the file's fixed
 * http://127.0.0.1:3000: a relative server URL resolves against the
 * document's own address, so "Try it out" calls this very service on any port
 * and behind a proxy that adds a path prefix. /openapi.yaml sits at the base
 * (`.`); Swagger UI resolves the inline copy against its page, /docs/, one
 * level down (`..`).
 */
export function servedDocuments(text: string): { yaml: string; forDocsPage: Record<string, unknown> } {
  // The top-level servers block is swapped as text so the rest is served byte for byte as written.
  const block = /^servers:\n(?:[ -].*\n)*/m;
  if (!block.test(text)) throw new Error('openapi.yaml has no top-level servers block to replace');
  const yaml = text.replace(block, `servers:\n  - url: .\n    description: ${SERVED_FROM}\n`);
  const forDocsPage = { ...(YAML.parse(text) as Record<string, unknown>), servers: [{ url: '..', description: SERVED_FROM }] };
  return { yaml, forDocsPage };
}

/** The contract, and interactive docs rendered from it. */
export function docsRoutes(): Router {
  const { yaml, forDocsPage } = servedDocuments(fs.readFileSync(findOpenApiFile(), 'utf8'));
  const router = Router();
  router.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(yaml);
  });
  // The page's assets are relative (./swagger-ui.css), so it must be read as /docs/. The static
  // files' own redirect says Location: /docs/, which a proxy that strips a prefix would send to
  // the wrong place: a relative one keeps the prefix.
  router.get('/docs', (req, res, next) => {
    if (req.originalUrl.split('?')[0]!.endsWith('/')) {
      next();
      return;
    }
    res.redirect(301, 'docs/');
  });
  router.use('/docs', swaggerUi.serve);
  router.get('/docs', swaggerUi.setup(forDocsPage, { customSiteTitle: 'testapi docs' }));
  return router;
}
