// @vitest-environment happy-dom
/**
 * The app's error banner: an error the main side refused with a rule is said in the language
 * shown, and said again after a switch; one without a rule shows a Chinese sentence with the
 * English it came with tucked away as a technical note.
 */
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { ErrorBanner } from '../../renderer/src/components/ErrorBanner';
import { applyLang, i18n } from '../../renderer/src/i18n';
import { reportError } from '../../renderer/src/store/actions';
import { resetStore, useStore } from '../../renderer/src/store';

afterEach(() => resetStore());

async function show() {
  const host = document.createElement('div');
  document.body.appendChild(host);
  const root = createRoot(host);
  await act(async () => root.render(createElement(I18nextProvider, { i18n }, createElement(ErrorBanner))));
  return { host, root };
}
const setLang = async (l: 'en-US' | 'zh-CN') =>
  act(async () => {
    useStore.getState().setLang(l);
    applyLang(l);
  });

describe('the error banner', () => {
  it('says a refused edit in the language shown, again after a switch', async () => {
    await setLang('en-US');
    const { host, root } = await show();
    await act(async () =>
      reportError(new ApiError('INVALID_EDIT', 'That reporting line would make a loop', { reason: 'reporting_loop', person: '赵丽', boss: '钱立明' })),
    );
    expect(host.querySelector('.error-message')!.textContent).toBe('That reporting line would make a loop: 钱立明 already reports, directly or through others, to 赵丽.');
    await setLang('zh-CN');
    expect(host.querySelector('.error-message')!.textContent).toBe('这条汇报线会形成循环：钱立明 已直接或间接向 赵丽 汇报。');
    expect(host.querySelector('.error-technical')).toBeNull();
    await act(async () => root.unmount());
  });

  it('keeps English detail apart from the Chinese message', async () => {
    await setLang('zh-CN');
    const { host, root } = await show();
    await act(async () =>
      reportError(new ApiError('BAD_REQUEST', 'Invalid input for person.create: name: a person needs a name', { method: 'person.create' }, ['name: a person needs a name'])),
    );
    expect(host.querySelector('.error-message')!.textContent).toBe('请求被拒绝：输入的内容不符合要求。');
    expect(host.querySelector('.error-details')).toBeNull();
    expect(host.querySelector('.error-technical summary')!.textContent).toBe('技术细节');
    expect(host.querySelector('.error-technical code')!.textContent).toContain('name: a person needs a name');
    // In English the detail is the message's own.
    await setLang('en-US');
    expect(host.querySelector('.error-message')!.textContent).toContain('The request was refused: Invalid input for person.create');
    expect(host.querySelectorAll('.error-details li')).toHaveLength(1);
    await act(async () => root.unmount());
  });
});
