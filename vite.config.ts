import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer (and the PDF report view) are built to dist/renderer, served by the Electron
// custom protocol in the app and by the loopback server in the browser build.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 4000,
  },
});
