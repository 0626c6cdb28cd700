import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { animationsSettled } from './support.ts';

/** WCAG 2.2 A and AA, as axe tags them (2.0, 2.1 and 2.2 rules). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** One element axe found failing a rule, on one screen. */
export interface A11yFinding {
  screen: string;
  rule: string;
  impact: string;
  target: string;
  summary: string;
  help: string;
}

/**
 * The serious and critical axe violations (WCAG 2.2 A/AA) on the page as it is now, one per node.
 * Finite animations settle first: axe reads colours as painted, and text mid-fade fails contrast.
 * `within` (a selector) limits the scan to part of the page, such as an open modal dialog.
 */
export async function scanPage(page: Page, screen: string, within?: string): Promise<A11yFinding[]> {
  await animationsSettled(page);
  const builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  if (within) builder.include(within);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => ({
        screen,
        rule: v.id,
        impact: v.impact ?? '',
        target: n.target.join(' '),
        // "Fix any of the following:\n  Element has insufficient color contrast of 2.63 ..." → the first reason.
        summary: (n.failureSummary ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !/^Fix (any|all)/.test(l))[0] ?? '',
        help: v.helpUrl,
      })),
    );
}

/** A readable report: one line per node, then a count per rule and screen. */
export function formatFindings(findings: A11yFinding[]): string {
  if (findings.length === 0) return 'no serious or critical violations';
  const lines = findings.map((f) => `[${f.screen}] ${f.rule} (${f.impact}) ${f.target}\n    ${f.summary}\n    ${f.help}`);
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(`${f.rule} on ${f.screen}`, (counts.get(`${f.rule} on ${f.screen}`) ?? 0) + 1);
  return [`${findings.length} serious or critical violations:`, ...lines, 'By rule and screen:', ...[...counts].map(([k, n]) => `  ${n} × ${k}`)].join('\n');
}
