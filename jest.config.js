/** @type {import('jest').Config} */
const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      parser: syntax === 'typescript' ? { syntax: 'typescript', decorators: true } : { syntax: 'ecmascript' },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': swc('typescript'),
    // faker 10 ships ESM only; Jest's loader needs it as CommonJS.
    '^.+\\.m?js$': swc('ecmascript'),
  },
  // pact-js pulls in three ESM-only packages, nested under its own node_modules: a path is left untransformed only when no segment names one of them.
  transformIgnorePatterns: ['^(?!.*/node_modules/(@faker-js/faker|https-proxy-agent|agent-base|proxy-agent-negotiate)/).*/node_modules/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  // Two cores: more workers only queue on PostgreSQL and the CPU.
  maxWorkers: 2,
};
