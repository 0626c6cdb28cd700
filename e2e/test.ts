import { test as base } from '@playwright/test';

export * from '@playwright/test';

/**
 * Playwright's `test`, with every browser context a test opened itself (`browser.newContext()`,
 * a second shopper, a watcher) closed when it ends. The browser outlives the test: a context left
 * open keeps its page rendering, its timers running and its Realtime channels joined, and each one
 * slows every later test in the worker. Specs import `test` from here.
 */
export const test = base.extend<{ closeOwnContexts: void }>({
  closeOwnContexts: [
    async ({ browser, context }, use) => {
      await use();
      await Promise.all(browser.contexts().filter((c) => c !== context).map((c) => c.close()));
    },
    { auto: true },
  ],
});
