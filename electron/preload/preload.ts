/**
 * The preload bridge: exposes exactly one narrow function to the renderer, `invoke(method,
 * payload)`, carried over IPC to the main side's dispatcher. Sandboxed: only `electron` is
 * available here, and nothing of Node leaks into the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiResult } from '../../shared/api/errors';
import { API_CHANNEL, EVENT_CHANNEL, type PowerMapBridge, type HostEvent } from '../../shared/api/bridge';

const bridge = {
  invoke: (method: string, payload: unknown): Promise<ApiResult<unknown>> =>
    ipcRenderer.invoke(API_CHANNEL, method, payload) as Promise<ApiResult<unknown>>,
  onEvent: (listener: (event: HostEvent) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, event: HostEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
} satisfies PowerMapBridge;

contextBridge.exposeInMainWorld('powermap', bridge);
