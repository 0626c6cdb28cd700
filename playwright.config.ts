import { defineConfig, devices } from '@playwright/test';
import { SYSTEM_CHROMIUM, useSystemChromium } from './e2e/browser.ts';

const QUIET = /catalog-load\.spec\.ts$/;
const LAST = /csp-reports\.spec\.ts$/;

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: useSystemChromium
    ? {
        executablePath: SYSTEM_CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      }
    : {},
};

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: 'list',
  // Generous: a 2-core machine running two browsers and the stack is slow, and tests never fail on timing.
  timeout: 180_000,
  // A live update crosses the database, the Realtime feed and the page: once, in a full suite on 2
  // cores, one did not show within 10 s (not reproduced since), so every wait gets 20 s.
  expect: { timeout: 20_000 },
  use: {
    // A click or a navigation that cannot happen fails naming its step, not as a bare test timeout.
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    // Set by the global setup, which starts the stack and serves the built SPA on free ports.
    baseURL: process.env.E2E_BASE_URL,
    headless: true,
    // A trace snapshots the whole DOM at every action: on the dashboard's walks that doubles a
    // test's time. CI keeps only the printed report, so it records none.
    trace: process.env.CI ? 'off' : 'retain-on-failure',
  },
  projects: [
    { name: 'chromium', use: chromium, testIgnore: [QUIET, LAST], teardown: 'last' },
    // Specs that count requests run alone, after the rest: another worker's new products would
    // rightly make the shop read its catalog again.
    { name: 'quiet', use: chromium, testMatch: QUIET, dependencies: ['chromium'] },
    // The CSP violation reports of every page the suite opened (e2e/csp.spec.ts): a teardown, so it
    // runs after chromium and quiet even when a test there failed.
    { name: 'last', use: chromium, testMatch: LAST },
  ],
});
