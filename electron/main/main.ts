/** Electron main process entry (fleshed out by the Electron shell module). */
import { app } from 'electron';

void app.whenReady().then(() => {
  // placeholder: see electron/main/app.ts
});
