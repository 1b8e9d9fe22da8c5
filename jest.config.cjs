/** jest: TypeScript through ts-jest (CommonJS), with the ESM-only flow libraries transformed too. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/js'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  },
  transformIgnorePatterns: ['/node_modules/(?!(oauth4webapi|jose)/)'],
  modulePathIgnorePatterns: [
    '<rootDir>/tokentoss/labextension',
    '<rootDir>/ui-tests'
  ],
  testTimeout: 30000
};
