import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Same-origin bundles only (strict CSP): no inline scripts, no CDN, no module-preload polyfill injected inline.
export default defineConfig({
  root: 'ui',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, modulePreload: { polyfill: false }, assetsInlineLimit: 0, sourcemap: false },
});
