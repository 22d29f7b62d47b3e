/** jest + ts-jest; the harness in spec/setup.ts fails a test on any unhandled rejection. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  setupFilesAfterEnv: ['<rootDir>/spec/setup.ts'],
  // Says once that the NATS specs are skipped when there is no nats-server.
  globalSetup: '<rootDir>/spec/nats/announce.cjs',
  testTimeout: 20000,
};
