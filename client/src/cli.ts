#!/usr/bin/env node
import { runCli } from './cli/program.js';

// `testapi tags | head` closes the pipe early: that is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

void runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  // exitCode rather than exit(): lets stdout drain when piped into another command.
  process.exitCode = code;
});
