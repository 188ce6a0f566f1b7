// One package.json per output folder tells Node (and TypeScript) how to read
// the .js and .d.ts files inside, whatever the package's own "type" says.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'dist');
fs.writeFileSync(path.join(dist, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
fs.writeFileSync(path.join(dist, 'esm', 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
fs.chmodSync(path.join(dist, 'cjs', 'cli.js'), 0o755);
