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

/** The contract, served as written, and interactive docs rendered from it. */
export function docsRoutes(): Router {
  const text = fs.readFileSync(findOpenApiFile(), 'utf8');
  const document = YAML.parse(text) as Record<string, unknown>;
  const router = Router();
  router.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(text);
  });
  router.use('/docs', swaggerUi.serve);
  router.get('/docs', swaggerUi.setup(document, { customSiteTitle: 'testapi docs' }));
  return router;
}
