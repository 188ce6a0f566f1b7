import { execFile } from 'node:child_process';

// npm run test:node24 runs the e2e tests again on Node 24: this proves it did,
// for Jest itself and for the processes the tests spawn (service, CLI).
describe('The Node that runs the e2e tests', () => {
  test('When a major version is expected (test:node24), then Jest and the processes it spawns run on it; otherwise on Node 20.19 or later', async () => {
    const expected = process.env.TESTAPI_EXPECT_NODE_MAJOR;
    const spawned = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-p', 'process.versions.node'], (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))),
    );

    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(spawned).toBe(process.versions.node);
    if (expected) expect(String(major)).toBe(expected);
    else expect(major > 20 || (major === 20 && minor >= 19)).toBe(true);
  });
});
