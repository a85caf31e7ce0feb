/**
 * Short messages over the map: what undo or redo just did, that connect mode is on and what to
 * click next, that it was left, that a name is taken. Kept as keys and parameters in the store and
 * put into words here, so a language switch changes them too.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { editLabelText } from '../../../shared/i18n/history';
import { parseElementId } from '../../../shared/visual/style';
import { useStore } from '../store';
import { saidValue } from '../team/values';

export function NoticeToast() {
  const { t } = useTranslation();
  const n = useStore((s) => s.notice);
  const lang = useStore((s) => s.lang);
  useEffect(() => {
    if (!n) return;
    const id = setTimeout(
      () => {
        if (useStore.getState().notice?.seq === n.seq) useStore.getState().setNotice(null);
      },
      n.tone === 'warning' ? 9000 : 4500,
    );
    return () => clearTimeout(id);
  }, [n]);
  if (!n) return null;
  const params: Record<string, string | number> = { ...n.params };
  if (n.key === 'team.replaced' && typeof params.field === 'string')
    // The values as the reader says them (attitude words, yes/no, roles), in the UI language.
    for (const k of ['was', 'now'] as const) params[k] = saidValue(params.field, String(params[k] ?? ''), lang, t('team.yes'), t('team.no'));
  if (n.key.startsWith('team.') && typeof params.field === 'string')
    // A team notice names columns (title, attitude…): said in the UI language.
    params.field = params.field
      .split(', ')
      .map((f) => t(`team.fields.${f}`, { defaultValue: f }))
      .join(lang === 'zh-CN' ? '、' : ', ');
  return (
    <div className={`notice notice-${n.tone ?? 'info'}`} role="status" aria-live="polite" data-testid="notice" data-key={n.key}>
      <span>{t(n.key, { ...params, what: n.label ? editLabelText(n.label, lang) : '' })}</span>
      <button type="button" className="link" aria-label={t('app.dismiss')} onClick={() => useStore.getState().setNotice(null)}>
        ✕
      </button>
    </div>
  );
}

/** Leaves connect mode and says so. */
export function leaveConnectMode(): void {
  const s = useStore.getState();
  if (!s.connectMode) return;
  s.setConnectMode(false);
  s.setNotice({ key: 'connect.left' });
}

/** While connect mode is on: what to click next, and how to leave. */
export function ConnectBanner() {
  const { t } = useTranslation();
  const on = useStore((s) => s.connectMode);
  const source = useStore((s) => s.connectSource);
  const doc = useStore((s) => s.doc);
  if (!on) return null;
  let name = '';
  if (source) {
    const ref = parseElementId(source);
    name = (ref.type === 'member' ? doc?.team.find((m) => m.id === ref.id)?.name : doc?.people.find((p) => p.id === (ref as { id: string }).id)?.name) ?? '';
  }
  return (
    <div className="connect-banner" role="status" aria-live="polite" data-testid="connect-banner">
      <b>{t('connect.title')}</b>
      <span data-testid="connect-step">{source ? t('connect.second', { name }) : t('connect.first')}</span>
      <span className="muted small">{t('connect.leave')}</span>
      <button type="button" data-testid="connect-done" onClick={leaveConnectMode}>
        {t('connect.done')}
      </button>
    </div>
  );
}
