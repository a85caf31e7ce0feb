/**
 * Runs a heavy layout in a Web Worker; falls back to the main thread where a worker cannot start
 * (the result is the same, the window just waits).
 */
import type { LayoutRequest, LayoutResult } from './layout-compute';

let worker: Worker | null = null;
let workerBroken = false;
let seq = 0;
const pending = new Map<number, { resolve(r: LayoutResult): void; reject(e: Error): void }>();

function getWorker(): Worker | null {
  if (workerBroken) return null;
  if (worker) return worker;
  try {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ seq: number; ok: boolean; positions?: LayoutResult; error?: string }>) => {
      const p = pending.get(e.data.seq);
      if (!p) return;
      pending.delete(e.data.seq);
      if (e.data.ok && e.data.positions) p.resolve(e.data.positions);
      else p.reject(new Error(e.data.error ?? 'layout failed'));
    };
    worker.onerror = () => {
      // The worker could not load: finish what is pending on the main thread from now on.
      workerBroken = true;
      worker = null;
      const waiting = [...pending.entries()];
      pending.clear();
      for (const [, p] of waiting) p.reject(new Error('worker-failed'));
    };
    return worker;
  } catch {
    workerBroken = true;
    return null;
  }
}

async function onMainThread(req: LayoutRequest): Promise<LayoutResult> {
  const { computeLayout } = await import('./layout-compute');
  return computeLayout(req);
}

export async function runLayout(req: LayoutRequest): Promise<LayoutResult> {
  const w = getWorker();
  if (!w) return onMainThread(req);
  const id = ++seq;
  try {
    return await new Promise<LayoutResult>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ seq: id, req });
    });
  } catch (e) {
    if ((e as Error).message === 'worker-failed') return onMainThread(req);
    throw e;
  }
}
