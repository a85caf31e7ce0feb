import { startWebApp, closeBrowser } from './tests/helpers/browser';
(async () => {
  for (const scheme of ['light', 'dark'] as const) {
    const app = await startWebApp({ colorScheme: scheme });
    const page = app.page;
    page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
    await page.click('[data-testid=open-sample]');
    await page.waitForSelector('[data-testid=workspace]');
    await page.waitForTimeout(2500);
    await page.screenshot({ path: `/tmp/rq/${scheme}-org.png` });
    await page.click('[data-testid=layout-force]');
    await page.waitForTimeout(3000);
    await page.screenshot({ path: `/tmp/rq/${scheme}-force.png` });
    await page.click('[data-testid=layout-grid]');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `/tmp/rq/${scheme}-grid.png` });
    await app.stop();
  }
  await closeBrowser();
})().catch((e) => { console.error(e); process.exit(1); });
