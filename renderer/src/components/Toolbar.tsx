/** The top bar: quick add, layouts, highlight toggles, search, undo/redo, language, theme, help. */
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LAYOUTS, type LayoutName } from '../../../shared/domain';
import type { Lang } from '../../../shared/i18n/errors';
import { editLabelText } from '../../../shared/i18n/history';
import { call, chooseLanguage, closeMap, createPerson, parseQuickAdd, redo, undo } from '../store/actions';
import { useStore, type ThemePref } from '../store';
import { leaveConnectMode } from './Notice';
import { DeskTeamActions } from '../team/Publish';
import { TeamPresence } from '../team/TeamBar';
import { selectReadOnly, useTeam } from '../team/state';

export interface ToolbarHandle {
  focusQuickAdd(): void;
  focusSearch(): void;
}

export function LangThemeSwitch() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const themePref = useStore((s) => s.themePref);
  return (
    <span className="lang-theme">
      <select
        aria-label={t('app.language')}
        data-testid="lang-switch"
        value={lang}
        onChange={(e) => void chooseLanguage(e.target.value as Lang)}
      >
        <option value="en-US">English</option>
        <option value="zh-CN">中文</option>
      </select>
      <select
        aria-label={t('app.theme')}
        data-testid="theme-switch"
        value={themePref}
        onChange={(e) => {
          const v = e.target.value as ThemePref;
          useStore.getState().setThemePref(v);
          try {
            localStorage.setItem('powermap.theme', v);
          } catch {
            /* ignore */
          }
        }}
      >
        <option value="system">{t('app.themeSystem')}</option>
        <option value="light">{t('app.themeLight')}</option>
        <option value="dark">{t('app.themeDark')}</option>
      </select>
    </span>
  );
}

export const Toolbar = forwardRef<ToolbarHandle>(function Toolbar(_props, ref) {
  const { t } = useTranslation();
  const doc = useStore((s) => s.doc)!;
  const layout = useStore((s) => s.layout);
  const showCoaches = useStore((s) => s.showCoaches);
  const showConflicts = useStore((s) => s.showConflicts);
  const connectMode = useStore((s) => s.connectMode);
  const layingOut = useStore((s) => s.layingOut);
  const lang = useStore((s) => s.lang);
  const readOnly = useTeam(selectReadOnly);
  const teamMap = useTeam((s) => s.map);
  const quickRef = useRef<HTMLInputElement>(null);
  const [quick, setQuick] = useState('');
  useImperativeHandle(ref, () => ({
    focusQuickAdd: () => quickRef.current?.focus(),
    focusSearch: () => {
      const el = document.querySelector<HTMLInputElement>('[data-testid="search"]');
      el?.focus();
      el?.select();
    },
  }));
  const h = doc.history;
  const s = useStore.getState;
  const title = teamMap?.name ?? ([doc.meta.account, doc.meta.deal].filter(Boolean).join(' — ') || doc.path.split(/[\\/]/).pop());

  const submitQuick = async () => {
    const fields = parseQuickAdd(quick);
    if (!fields) return;
    const id = await createPerson(fields);
    if (id) {
      setQuick('');
      s().select({ type: 'person', id });
    }
  };

  return (
    <header className="toolbar" data-testid="toolbar">
      <div className="tb-title" title={doc.path} data-testid="map-title">
        <span className="logo" aria-hidden="true">◆</span> {title}
      </div>
      {!readOnly && (
        <input
          ref={quickRef}
          className="quick-add"
          data-testid="quick-add"
          aria-label={t('toolbar.quickAddLabel')}
          placeholder={t('toolbar.quickAdd')}
          value={quick}
          onChange={(e) => setQuick(e.target.value)}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter') void submitQuick();
            if (e.key === 'Escape') {
              setQuick('');
              quickRef.current?.blur();
            }
          }}
        />
      )}
      <div className="segmented" role="radiogroup" aria-label={t('toolbar.layout')} data-testid="layout-switch">
        {LAYOUTS.map((l: LayoutName, i) => (
          <button
            key={l}
            type="button"
            role="radio"
            aria-checked={layout === l}
            className={layout === l ? 'on' : ''}
            data-testid={`layout-${l}`}
            title={`${t(`toolbar.${l}`)} (${i + 1})`}
            onClick={() => s().setLayout(l)}
          >
            {t(`toolbar.${l}`)}
          </button>
        ))}
      </div>
      <span className="tb-sep" />
      <button type="button" aria-pressed={showCoaches} className={`toggle coach ${showCoaches ? 'on' : ''}`} data-testid="toggle-coaches" title={`${t('toolbar.showCoaches')} (C)`} onClick={() => s().toggleCoaches()}>
        ★ {t('toolbar.showCoaches')}
      </button>
      <button type="button" aria-pressed={showConflicts} className={`toggle conflict ${showConflicts ? 'on' : ''}`} data-testid="toggle-conflicts" title={`${t('toolbar.showConflicts')} (X)`} onClick={() => s().toggleConflicts()}>
        ⚡ {t('toolbar.showConflicts')}
      </button>
      {!readOnly && (
        <>
          <button type="button" data-testid="review-start" title={t('evidence.reviewHint')} onClick={() => s().setReviewing(true)}>
            ✓ {t('evidence.review')}
          </button>
          <button type="button" aria-pressed={connectMode} className={`toggle ${connectMode ? 'on' : ''}`} data-testid="connect-mode" title={t('toolbar.connectHint')} onClick={() => (connectMode ? leaveConnectMode() : s().setConnectMode(true))}>
            ↗ {t('toolbar.connect')}
          </button>
          <span className="tb-sep" />
          <button type="button" disabled={!h.canUndo} data-testid="undo" title={h.undoLabel ? t('toolbar.undoWhat', { what: editLabelText(h.undoLabel, lang) }) : t('toolbar.undo')} onClick={() => void undo()}>
            ↶
          </button>
          <button type="button" disabled={!h.canRedo} data-testid="redo" title={h.redoLabel ? t('toolbar.redoWhat', { what: editLabelText(h.redoLabel, lang) }) : t('toolbar.redo')} onClick={() => void redo()}>
            ↷
          </button>
        </>
      )}
      <span className="tb-grow" />
      {layingOut && (
        <span className="busy" data-testid="laying-out" role="status">
          {t('toolbar.layingOut')}
        </span>
      )}
      <TeamPresence />
      <DeskTeamActions />
      <LangThemeSwitch />
      <button type="button" data-testid="help-button" title={t('toolbar.help')} onClick={() => s().setHelp(true)}>
        ?
      </button>
      <button type="button" data-testid="close-map" title={teamMap ? t('team.backToMaps') : t('toolbar.closeMap')} onClick={() => void closeMap()}>
        ✕
      </button>
    </header>
  );
});

/** Controls over the canvas: fit, lay out again, unpin, neighbourhood reach. */
export function CanvasControls() {
  const { t } = useTranslation();
  const layout = useStore((s) => s.layout);
  const hops = useStore((s) => s.hops);
  const s = useStore.getState;
  return (
    <div className="canvas-controls" data-testid="canvas-controls">
      <button type="button" data-testid="fit" title={`${t('toolbar.fit')} (F)`} onClick={() => s().focus(null)}>
        ⤢ {t('toolbar.fit')}
      </button>
      <button type="button" title={t('toolbar.relayoutHint')} data-testid="relayout" onClick={() => s().relayout()}>
        ↻ {t('toolbar.relayout')}
      </button>
      <button
        type="button"
        data-testid="unpin"
        title={t('toolbar.unpin')}
        onClick={async () => {
          await call('positions.clear', { layout });
          s().clearPositions(layout);
          s().relayout();
        }}
      >
        {t('toolbar.unpin')}
      </button>
      <select aria-label={t('toolbar.hops')} title={t('toolbar.hops')} data-testid="hops" value={hops} onChange={(e) => s().setHops(Number(e.target.value) as 1 | 2)}>
        <option value={1}>{t('toolbar.hops')}: {t('toolbar.hop1')}</option>
        <option value={2}>{t('toolbar.hops')}: {t('toolbar.hop2')}</option>
      </select>
    </div>
  );
}
