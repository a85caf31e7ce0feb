/** Electron main process entry, bundled to dist/electron/main.cjs (package.json "main"). */
import { startApp } from './app';

startApp();
