// `npm start` runs this before the build: a busy port is reported at once, not
// after seconds of tsc, initdb and migrations. It reuses the last build's
// config reader and check, so the rules live in src/ only; on a fresh clone
// (no dist/ yet) it does nothing and the service checks after the first build.
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist', 'src');
let loadConfig, portProblem;
try {
  ({ loadConfig } = require(path.join(dist, 'config.js')));
  ({ portProblem } = require(path.join(dist, 'http', 'port-check.js')));
} catch {
  process.exit(0);
}

let config;
try {
  config = loadConfig(process.env);
} catch {
  // A bad setting is reported, with its variable's name, by the service itself.
  process.exit(0);
}
portProblem(config.port, config.host).then((problem) => {
  if (problem) {
    process.stderr.write(`testapi: ${problem}\n`);
    process.exit(1);
  }
});
