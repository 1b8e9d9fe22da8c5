import { PageConfig } from '@jupyterlab/coreutils';

import { CLI_COMMAND_OPTION, printIdTokenCommand } from '../../src/cliHint';

describe('the terminal hint', () => {
  afterEach(() => PageConfig.setOption(CLI_COMMAND_OPTION, ''));

  it("names the server's interpreter as the server quoted it", () => {
    PageConfig.setOption(
      CLI_COMMAND_OPTION,
      "'/opt/my envs/lab/bin/python' -m tokentoss"
    );
    expect(printIdTokenCommand()).toBe(
      "'/opt/my envs/lab/bin/python' -m tokentoss print-identity-token"
    );
  });

  it('falls back to python -m tokentoss when the server gives none', () => {
    expect(printIdTokenCommand()).toBe(
      'python -m tokentoss print-identity-token'
    );
  });
});
