/**
 * The preload bridge (electron/preload/preload.ts) with electron mocked: it exposes exactly
 * window.powermap = { invoke, onEvent }, carries calls on the API channel, and hands the page
 * only the HostEvent, never Electron's event object (which holds the sender).
 */
import { describe, expect, it, vi } from 'vitest';
import { API_CHANNEL, EVENT_CHANNEL } from '../../shared/api/bridge';
import * as fake from '../helpers/electron-mock';

vi.mock('electron', () => import('../helpers/electron-mock'));

describe('the preload bridge', () => {
  it('exposes only invoke and onEvent under window.powermap', async () => {
    fake.reset({ documents: '/tmp', userData: '/tmp' });
    await import('../../electron/preload/preload');
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['powermap']);
    const bridge = fake.contextBridge.exposed.get('powermap') as {
      invoke: (m: string, p: unknown) => Promise<unknown>;
      onEvent: (l: (e: unknown) => void) => () => void;
    };
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent']);

    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: 'v' });
    expect(await bridge.invoke('map.get', { a: 1 })).toEqual({ ok: true, value: 'v' });
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledWith(API_CHANNEL, 'map.get', { a: 1 });

    const got: unknown[] = [];
    const off = bridge.onEvent((e) => got.push(e));
    const senderEvent = { sender: fake.ipcRenderer, senderId: 0 };
    fake.ipcRenderer.emit(EVENT_CHANNEL, senderEvent, { type: 'menu', command: 'undo' });
    fake.ipcRenderer.emit('some-other-channel', senderEvent, { type: 'menu', command: 'redo' });
    expect(got).toEqual([{ type: 'menu', command: 'undo' }]);
    off();
    fake.ipcRenderer.emit(EVENT_CHANNEL, senderEvent, { type: 'menu', command: 'find' });
    expect(got).toHaveLength(1);
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });
});
