/** Runs the relationship layout and the routing of lines off the UI thread (see layout-compute.ts). */
import { compute, type WorkRequest } from './layout-compute';

self.onmessage = (e: MessageEvent<{ seq: number; work: WorkRequest }>) => {
  const { seq, work } = e.data;
  try {
    (self as unknown as Worker).postMessage({ seq, ok: true, result: compute(work) });
  } catch (err) {
    (self as unknown as Worker).postMessage({ seq, ok: false, error: String((err as Error)?.message ?? err) });
  }
};
