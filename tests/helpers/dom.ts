/**
 * Steps for component tests that render React in happy-dom (`// @vitest-environment happy-dom`):
 * a root unmounted after each test, waiting for the page to show something, clicking and typing
 * as React sees it (inside act()).
 */
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach } from 'vitest';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = '';
});

/** Renders `element` into a fresh element of the page (unmounted after the test). */
export async function render(element: ReactElement): Promise<HTMLElement> {
  const host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  await act(async () => root!.render(element));
  return host;
}

/** Waits (acting) until `fn` returns something truthy, and returns it. */
export async function until<T>(fn: () => T | null | undefined | false, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; page: ${document.body.textContent?.slice(0, 600)}`);
    await act(async () => new Promise((r) => setTimeout(r, 20)));
  }
}

/** The first element matching `sel` whose text is `text` (trimmed), within `within`. */
export const byText = (sel: string, text: string, within: ParentNode = document) =>
  [...within.querySelectorAll<HTMLElement>(sel)].find((e) => e.textContent?.trim() === text);

export async function click(el: HTMLElement | undefined | null): Promise<void> {
  if (!el) throw new Error(`nothing to click; page: ${document.body.textContent?.slice(0, 600)}`);
  await act(async () => el.click());
}

/** Types into a field as a user does: React sees an input event with the new value. */
export async function type(el: HTMLInputElement | HTMLTextAreaElement | null, value: string): Promise<void> {
  if (!el) throw new Error('no field');
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
