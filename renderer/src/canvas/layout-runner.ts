/**
 * Runs the heavy drawing work (layout-compute.ts) in a Web Worker; falls back to the main thread
 * where a worker cannot start (the result is the same, the window just waits). Work that is no
 * longer wanted (a newer request of the same kind superseded it) is dropped by the caller.
 */
import type { ForceRequest, LayoutResult, RouteRequest, RouteResult, WorkRequest } from './layout-compute';

let worker: Worker | null = null;
let workerBroken = false;
let seq = 0;
const pending = new Map<number, { resolve(r: unknown): void; reject(e: Error): void }>();

function getWorker(): Worker | null {
  if (workerBroken) return null;
  if (worker) return worker;
  try {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ seq: number; ok: boolean; result?: unknown; error?: string }>) => {
      const p = pending.get(e.data.seq);
      if (!p) return;
      pending.delete(e.data.seq);
      if (e.data.ok) p.resolve(e.data.result);
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

async function onMainThread(work: WorkRequest): Promise<unknown> {
  const { compute } = await import('./layout-compute');
  return compute(work);
}

async function run(work: WorkRequest): Promise<unknown> {
  const w = getWorker();
  if (!w) return onMainThread(work);
  const id = ++seq;
  try {
    return await new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ seq: id, work });
    });
  } catch (e) {
    if ((e as Error).message === 'worker-failed') return onMainThread(work);
    throw e;
  }
}

export const runForceLayout = (req: ForceRequest) => run({ type: 'force', req }) as Promise<LayoutResult>;
export const runRouting = (req: RouteRequest) => run({ type: 'route', req }) as Promise<RouteResult>;

/**
 * Stops work nobody waits for any more (a map closed mid-routing): the worker is ended and a new
 * one starts on the next request; pending callers get an 'abandoned' error.
 */
export function abandonWork(): void {
  if (!worker || pending.size === 0) return;
  worker.terminate();
  worker = null;
  const waiting = [...pending.values()];
  pending.clear();
  for (const p of waiting) p.reject(new Error('abandoned'));
}
