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
          environment: 'jsdom',
          include: ['src/**/__tests__/**/*.test.{ts,tsx}'],
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
    ],
  },
});
