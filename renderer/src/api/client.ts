/**
 * The renderer's one API client. In Electron the preload bridge (window.powermap) carries calls
 * over IPC; in the browser build they go to the loopback server with the per-run token, which
 * arrives in the URL fragment (#token=…) and is kept in sessionStorage.
 */
import { createClient, type ApiClient, type Transport } from '../../../shared/api';
import type { PowerMapBridge } from '../../../shared/api/bridge';

declare global {
  interface Window {
    powermap?: PowerMapBridge;
  }
}

const TOKEN_KEY = 'powermap.token';

function webToken(): string {
  const m = /(?:^|[#&])token=([^&]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const httpTransport = (token: string): Transport => async (method, payload) => {
  try {
    const res = await fetch(`./api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-powermap-token': token },
      body: JSON.stringify(payload ?? {}),
    });
    return await res.json();
  } catch (e) {
    return { ok: false, error: { code: 'IO', message: `The PowerMap server did not answer: ${(e as Error).message}` } };
  }
};

export const api: ApiClient = createClient(
  window.powermap ? (m, p) => window.powermap!.invoke(m, p) : httpTransport(webToken()),
);
