// Generates src/generated/openapi.ts (types, openapi-typescript) and src/generated/tables.ts
// (the table names, a runtime value the types cannot give) from ../openapi.yaml.
//   node scripts/generate.mjs          write the files
//   node scripts/generate.mjs --check  exit 1 when a committed file differs from a fresh generation
// Both modes share one generator so the check can never disagree with `npm run generate`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import YAML from 'yaml';

const clientDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const specPath = path.join(clientDir, '..', 'openapi.yaml');
const outPath = path.join(clientDir, 'src', 'generated', 'openapi.ts');
const tablesPath = path.join(clientDir, 'src', 'generated', 'tables.ts');

const HEADER = `/**
 * Generated from openapi.yaml by openapi-typescript 7: do not edit.
 * Regenerate with \`npm run generate\`; \`npm test\` fails when this file is stale.
 */

`;

async function generateTypes() {
  // Defaults describe what the service assumes when a field is absent: in requests they stay optional.
  const ast = await openapiTS(new URL(`file://${specPath}`), { silent: true, defaultNonNullable: false });
  return HEADER + astToString(ast);
}

// The CLI prints counts per table in the contract's order (parents first), whatever order the answer's keys arrive in.
function generateTables() {
  const spec = YAML.parse(fs.readFileSync(specPath, 'utf8'));
  const tables = Object.keys(spec.components.schemas.TableCounts.properties);
  const header = HEADER.replace('by openapi-typescript 7', 'by scripts/generate.mjs');
  return `${header}import type { components } from './openapi.js';

/** The tables of \`TableCounts\`, in the order openapi.yaml lists them (parents before children). */
export const TABLES = ${JSON.stringify(tables)} as const satisfies readonly (keyof components['schemas']['TableCounts'])[];
`;
}

const normalize = (text) => text.replace(/\r\n/g, '\n');

const outputs = [
  [outPath, await generateTypes()],
  [tablesPath, generateTables()],
];
const relative = (file) => path.relative(path.join(clientDir, '..'), file);
if (process.argv.includes('--check')) {
  for (const [file, fresh] of outputs) {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (normalize(committed) !== normalize(fresh)) {
      console.error(`${relative(file)} is stale: openapi.yaml changed since it was generated. Run \`npm run generate\` and commit the result.`);
      process.exit(1);
    }
  }
  console.log(`${outputs.map(([file]) => relative(file)).join(' and ')} match openapi.yaml`);
} else {
  for (const [file, fresh] of outputs) {
    fs.writeFileSync(file, fresh);
    console.log(`wrote ${relative(file)}`);
  }
}
