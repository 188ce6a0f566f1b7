/**
 * Import rules for src/, checked by `npm run lint` (part of `npm test`).
 * They keep the layers readable: the engine, the scenarios, tag cleanup and
 * data access never reach up into the HTTP layer or the app's composition,
 * and no two folders lean on each other.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'A cycle between src/ folders (e.g. provisioning -> scenarios -> provisioning) means neither can be read or reused alone.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'Import cycles between modules, type-only ones included: each says "these files are one unit" without saying so.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-upward-imports',
      severity: 'error',
      comment:
        'Below the HTTP layer nothing knows about HTTP or the whole app: errors live in src/errors.ts, and each use case names its own narrow deps (app.ts composes them).',
      from: { path: '^src/(provisioning|scenarios|tags|db)/' },
      to: { path: '^src/(http/|app\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: `import type { AppDeps } from '../app'` is the coupling these rules exist to catch.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
