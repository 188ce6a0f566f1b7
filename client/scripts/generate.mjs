// Generates src/generated/openapi.ts from ../openapi.yaml with openapi-typescript.
//   node scripts/generate.mjs          write the file
//   node scripts/generate.mjs --check  exit 1 when the committed file differs from a fresh generation
// Both modes share one generator so the check can never disagree with `npm run generate`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const clientDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const specPath = path.join(clientDir, '..', 'openapi.yaml');
const outPath = path.join(clientDir, 'src', 'generated', 'openapi.ts');

const HEADER = `/**
 * Generated from openapi.yaml by openapi-typescript 7: do not edit.
 * Regenerate with \`npm run generate\`; \`npm test\` fails when this file is stale.
 */

`;

async function generate() {
  // Defaults describe what the service assumes when a field is absent: in requests they stay optional.
  const ast = await openapiTS(new URL(`file://${specPath}`), { silent: true, defaultNonNullable: false });
  return HEADER + astToString(ast);
}

const normalize = (text) => text.replace(/\r\n/g, '\n');

const fresh = await generate();
if (process.argv.includes('--check')) {
  const committed = fs.existsSync(outPath) ? fs.readFileSync(outPath, 'utf8') : '';
  if (normalize(committed) !== normalize(fresh)) {
    console.error(
      `${path.relative(path.join(clientDir, '..'), outPath)} is stale: openapi.yaml changed since it was generated. Run \`npm run generate\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log('client/src/generated/openapi.ts matches openapi.yaml');
} else {
  fs.writeFileSync(outPath, fresh);
  console.log(`wrote ${path.relative(path.join(clientDir, '..'), outPath)}`);
}
