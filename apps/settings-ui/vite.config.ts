import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The API serves dist/ at `/`; during `vite dev` the admin API is proxied to a running Fieldcast.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 900 },
  server: { proxy: { '/admin/api': process.env.FIELDCAST_API_URL ?? 'http://127.0.0.1:3000' } },
});
