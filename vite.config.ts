import path from 'node:path';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';
import { securityPlugin } from './tools/vite-security.ts';

export default defineConfig(({ command, mode }) => {
  if (command === 'build') {
    // Only the dev server falls back to the local stack; a build must name the project it talks to.
    const env = loadEnv(mode, import.meta.dirname);
    const missing = ['VITE_SUPABASE_URL', 'VITE_SUPABASE_ANON_KEY'].filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new Error(`${missing.join(' and ')} must be set to build the SPA (environment or .env.production.local); for the local stack use http://127.0.0.1:54321 and its anon key (npm run stack prints it).`);
    }
  }
  return {
    plugins: [react(), tailwindcss(), securityPlugin()],
    resolve: { alias: { '@': path.resolve(import.meta.dirname, 'src') } },
    server: { host: '127.0.0.1', port: 5173 },
    preview: { host: '127.0.0.1', port: 4173 },
    build: {
      rolldownOptions: {
        output: {
          // Libraries change less often than the app: in their own chunks they stay cached across deploys.
          codeSplitting: {
            groups: [
              { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
              { name: 'supabase', test: /node_modules[\\/]@supabase[\\/]/ },
            ],
          },
        },
      },
    },
  };
});
