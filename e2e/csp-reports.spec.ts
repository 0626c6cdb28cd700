import { expect, test } from './test.ts';

// Runs after every other spec (its own Playwright project): the preview server collected the CSP
// violation reports of every page the suite opened. Only csp.spec.ts's deliberate probe may be there.

interface Report {
  'document-uri'?: string;
  'effective-directive'?: string;
  'violated-directive'?: string;
  'blocked-uri'?: string;
  'source-file'?: string;
  'line-number'?: number;
}

test('no page of the suite violated the Content Security Policy', async ({ request }) => {
  const response = await request.get('/__csp-reports');
  expect(response.ok()).toBe(true);
  const reports = ((await response.json()) as Report[]).filter((r) => !r['document-uri']?.includes('csp-probe'));
  const described = reports.map((r) => `${r['document-uri']}: ${r['effective-directive'] ?? r['violated-directive']} blocked ${r['blocked-uri']} (${r['source-file'] ?? '?'}:${r['line-number'] ?? '?'})`);
  expect(described).toEqual([]);
});
