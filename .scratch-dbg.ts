import { startWebApp, closeBrowser } from './tests/helpers/browser';
(async () => {
  const app = await startWebApp();
  const page = app.page;
  await page.click('[data-testid=open-sample]');
  await page.waitForSelector('[data-testid=workspace]');
  await page.waitForTimeout(2000);
  await page.click('[data-testid=layout-grid]');
  await page.waitForTimeout(1500);
  console.log(await page.evaluate(() => {
    const cy = window.__powermap!.cy;
    return JSON.stringify({ zoom: cy.zoom(), pan: cy.pan(), nodes: cy.nodes().map(n => [n.data('name'), n.data('attitude'), n.data('influence'), Math.round(n.position('x')), Math.round(n.position('y'))]), grid: window.__powermap!.store.getState().doc!.positions.grid });
  }));
  await app.stop(); await closeBrowser();
})().catch((e) => { console.error(e); process.exit(1); });
