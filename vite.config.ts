import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
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
    // The app, the deal-review report view that both PDF engines print, and the team server's
    // sign-in page.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        report: fileURLToPath(new URL('./renderer/report.html', import.meta.url)),
        signin: fileURLToPath(new URL('./renderer/signin.html', import.meta.url)),
      },
    },
  },
});
