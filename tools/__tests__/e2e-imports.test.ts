import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const E2E = path.resolve(import.meta.dirname, '../../e2e');

// e2e/test.ts closes the contexts a test opened; a spec that takes `test` from Playwright directly
// would leave its contexts running for the rest of the worker's tests.
it("every e2e spec takes `test` from e2e/test.ts, which closes the browser contexts a test opened", () => {
  const specs = readdirSync(E2E).filter((f) => f.endsWith('.spec.ts'));
  expect(specs.length).toBeGreaterThan(0);
  const direct = specs.filter((f) => /import\s*{[^}]*\btest\b[^}]*}\s*from\s*'@playwright\/test'/.test(readFileSync(path.join(E2E, f), 'utf8')));
  expect(direct).toEqual([]);
});
