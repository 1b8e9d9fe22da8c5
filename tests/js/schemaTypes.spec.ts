/**
 * The committed TypeScript types of the REST bodies are what the JSON Schemas in
 * tokentoss/server/schemas/ generate today (src/schemaConformance.ts then holds our request
 * types to them when tsc runs): a schema change without `npm run schemas:types` fails here.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

it('src/schemaTypes.generated.ts is what the schemas generate', () => {
  // Throws (non-zero exit, with the reason on stderr) when the file is stale.
  const out = execFileSync(
    process.execPath,
    [join('scripts', 'schema-types.mjs'), '--check'],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
  );
  expect(out).toContain('matches');
});
