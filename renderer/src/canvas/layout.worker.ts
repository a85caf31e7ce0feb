/** Runs the heavy layouts off the UI thread (see layout-compute.ts). */
import { computeLayout, type LayoutRequest } from './layout-compute';

self.onmessage = (e: MessageEvent<{ seq: number; req: LayoutRequest }>) => {
  const { seq, req } = e.data;
  try {
    (self as unknown as Worker).postMessage({ seq, ok: true, positions: computeLayout(req) });
  } catch (err) {
    (self as unknown as Worker).postMessage({ seq, ok: false, error: String((err as Error)?.message ?? err) });
  }
};
