import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import path from 'node:path';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [react()],
        resolve: { alias: { '@': path.resolve(import.meta.dirname, 'src') } },
        test: {
          name: 'unit',
          // jsdom costs about a second per file: the tests that need a DOM ask for it in a
          // `// @vitest-environment jsdom` first line.
          environment: 'node',
          include: ['src/**/__tests__/**/*.test.{ts,tsx}'],
        },
      },
      {
        // Checks of the repository itself: build secret scan, dangerous sinks, lock file, doc links.
        test: {
          name: 'repo',
          environment: 'node',
          include: ['tools/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'stack',
          environment: 'node',
          include: ['stack/**/*.test.ts', 'supabase/tests/**/*.test.ts', 'sim/**/*.test.ts'],
          globalSetup: ['stack/tests/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // npm test runs the short forms; npm run verify (VERIFY_LONG=1) the long ones. Each file
        // starts its own stack as a child process; the files run one after another.
        test: {
          name: 'verify',
          environment: 'node',
          include: ['verify/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
