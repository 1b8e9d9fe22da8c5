/**
 * The loopback rule, the browser's side, against the table both languages share
 * (tests/shared/loopback-cases.json; pytest runs Python's rule over the same file).
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { isLoopbackHttp, parseSecureUrl } from '../../src/flow/urls';

interface ILoopbackCase {
  url: string;
  python: boolean;
  browser: boolean;
  note?: string;
}

const TABLE = join(__dirname, '..', 'shared', 'loopback-cases.json');
const cases: ILoopbackCase[] = JSON.parse(readFileSync(TABLE, 'utf-8')).cases;

describe('the shared loopback table', () => {
  it('has cases, each with a browser answer', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const item of cases) {
      expect(typeof item.browser).toBe('boolean');
    }
  });

  it.each(cases.map(item => [item.url, item] as const))(
    '%s: isLoopbackHttp gives the browser column',
    (_url, item) => {
      expect(isLoopbackHttp(new URL(item.url))).toBe(item.browser);
    }
  );

  it.each(cases.map(item => [item.url, item] as const))(
    '%s: parseSecureUrl accepts it exactly when the browser column says so',
    (_url, item) => {
      const parse = () => parseSecureUrl(item.url, 'issuer');
      if (item.browser) {
        expect(parse().protocol).toBe('http:');
      } else {
        expect(parse).toThrow('must use https');
      }
    }
  );
});
