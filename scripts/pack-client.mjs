// npm run pack:client -- --out DIR [--no-build]
// Builds @testapi/client and writes its tarball into DIR (default: the folder
// npm was run from), then prints the absolute path to install. `npm pack -w`
// alone writes into this repository's root, which is not where a consumer
// project looks. --no-build packs client/dist as it is (the tests pack what
// `npm test` built, without rebuilding under the feet of parallel tests).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const at = args.findIndex((arg) => arg === '--out' || arg.startsWith('--out='));
const given = at < 0 ? '.' : args[at].startsWith('--out=') ? args[at].slice('--out='.length) : args[at + 1];
if (!given) {
  process.stderr.write('pack:client: --out needs a folder, e.g. npm run pack:client -- --out ../my-app\n');
  process.exit(2);
}
// npm runs scripts from the package root; INIT_CWD is where the user typed the command.
const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), given);
fs.mkdirSync(out, { recursive: true });

const noBuild = args.includes('--no-build') ? ['--ignore-scripts'] : [];
const packed = execFileSync('npm', ['pack', '-w', '@testapi/client', '--json', '--pack-destination', out, ...noBuild], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
// The JSON follows any output of the prepack build: take it from the last line that opens the array.
const json = packed.slice(packed.lastIndexOf('\n[') + 1 || packed.indexOf('['));
const [{ filename }] = JSON.parse(json);
const tarball = path.join(out, path.basename(filename));
process.stdout.write(`wrote ${tarball}\nin your project: npm install -D ${tarball}\n`);
