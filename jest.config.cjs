/** jest: TypeScript through ts-jest (CommonJS); ESM-only packages (the flow libraries, JupyterLab, Lumino) are transformed too. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/js'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
    '^.+\\.svg$': '<rootDir>/tests/js/support/svgTransform.cjs'
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(oauth4webapi|jose|@jupyterlab|@lumino|@jupyter|@microsoft|exenv-es6|lib0|y-protocols|yjs|nanoid)/)'
  ],
  modulePathIgnorePatterns: [
    '<rootDir>/tokentoss/labextension',
    '<rootDir>/ui-tests'
  ],
  testTimeout: 30000
};
