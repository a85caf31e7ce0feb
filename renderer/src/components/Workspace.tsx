/**
 * The main window with a map open: toolbar; people list on the left; the canvas with its legend;
 * the side area with the inspector, the map's details and the panels of the other areas
 * (Insights, Import/export, History), which get PanelProps wired to this store and canvas.
 */
import { ReviewMode } from './ReviewMode';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Change } from '../../../shared/domain';
import { api } from '../api/client';
import { MapCanvas, elementIdOf } from '../canvas/MapCanvas';
import { ExchangePanel } from '../exchange/ExchangePanel';
import { InsightsPanel } from '../insights/InsightsPanel';
import { EraseHost } from '../privacy/EraseHost';
import type { PanelProps, Selection } from '../panels';
import { TimePanel } from '../time/TimePanel';
import { deleteSelection, redo, reloadMap, undo } from '../store/actions';
import { useStore, type SideTab } from '../store';
import { Boundary, ErrorBanner } from './ErrorBanner';
import { HelpOverlay } from './HelpOverlay';
import { Inspector } from './Inspector';
import { Legend } from './Legend';
import { MapTab } from './MapTab';
import { ConnectBanner, NoticeToast, leaveConnectMode } from './Notice';
import { PeopleList } from './PeopleList';
import { Toolbar, type ToolbarHandle } from './Toolbar';
import { ShareDialog } from '../team/ShareDialog';
import { TeamLines } from '../team/TeamBar';
import { TeamHistory } from '../team/TeamHistory';
import { isReadOnly, selectReadOnly, useTeam } from '../team/state';

/** Commands that change the map: not offered on a map the user can only view. */
const EDIT_COMMANDS = new Set(['new-person', 'new-relation', 'delete-selection', 'undo', 'redo']);

const TABS: SideTab[] = ['inspector', 'map', 'insights', 'exchange', 'time'];
const PANEL_TABS: SideTab[] = ['insights', 'exchange', 'time'];

const isTyping = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

/** Runs a command named by a shortcut or the Electron menu. */
function useCommands(toolbar: React.RefObject<ToolbarHandle | null>) {
  return useCallback(
    (cmd: string) => {
      const s = useStore.getState();
      if (EDIT_COMMANDS.has(cmd) && isReadOnly()) return;
      switch (cmd) {
        case 'new-person':
          toolbar.current?.focusQuickAdd();
          break;
        case 'new-relation':
          if (s.selection?.type === 'person' || s.selection?.type === 'member') {
            const id = s.selection.type === 'member' ? `t:${s.selection.id}` : s.selection.id;
            s.setConnectFrom(id);
          } else if (s.connectMode) leaveConnectMode();
          else s.setConnectMode(true);
          break;
        case 'delete-selection':
          void deleteSelection();
          break;
        case 'find':
          toolbar.current?.focusSearch();
          break;
        case 'focus':
          s.focus(null);
          break;
        case 'undo':
          void undo();
          break;
        case 'redo':
          void redo();
          break;
        case 'help':
          s.setHelp(!s.help);
          break;
      }
    },
    [toolbar],
  );
}

export function Workspace() {
  const { t } = useTranslation();
  const doc = useStore((s) => s.doc)!;
  const lang = useStore((s) => s.lang);
  const tab = useStore((s) => s.sideTab);
  const toolbar = useRef<ToolbarHandle>(null);
  const run = useCommands(toolbar);
  const readOnly = useTeam(selectReadOnly);
  const onTeamMap = useTeam((s) => s.on && s.map !== null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      if (e.key === 'Escape') {
        if (s.help) s.setHelp(false);
        else if (s.connectMode) leaveConnectMode();
        else s.select(null);
        return;
      }
      if (mod && (e.key === 'f' || e.key === 'F')) {
        e.preventDefault();
        run('find');
        return;
      }
      if (isTyping(e.target)) return;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        run(e.shiftKey ? 'redo' : 'undo');
        return;
      }
      if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        run('redo');
        return;
      }
      if (mod || e.altKey) return;
      const k = e.key;
      const handled = (() => {
        switch (k) {
          case 'n':
          case 'N':
            run('new-person');
            return true;
          case 'e':
          case 'E':
            run('new-relation');
            return true;
          case 'Delete':
          case 'Backspace':
            run('delete-selection');
            return true;
          case '/':
            run('find');
            return true;
          case 'f':
          case 'F': {
            // Shift+F: fit the selection with its neighbours; F: the whole map.
            const sel = e.shiftKey ? elementIdOf(s.selection) : null;
            s.focus(sel, sel ? 'fit' : 'center');
            return true;
          }
          case '1':
            s.setLayout('org');
            return true;
          case '2':
            s.setLayout('force');
            return true;
          case '3':
            s.setLayout('grid');
            return true;
          case '4':
            s.setLayout('levels');
            return true;
          case 'c':
          case 'C':
            s.toggleCoaches();
            return true;
          case 'x':
          case 'X':
            s.toggleConflicts();
            return true;
          case '?':
            s.setHelp(!s.help);
            return true;
          case 'r':
          case 'R':
            // A review changes facts: not for a viewer (the server would refuse each step anyway).
            if (!isReadOnly()) s.setReviewing(true);
            return true;
          case 'v':
          case 'V':
            s.toggleEvidence();
            return true;
        }
        return false;
      })();
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  // Electron menu commands.
  useEffect(() => {
    const bridge = window.powermap;
    if (!bridge) return;
    return bridge.onEvent((ev) => {
      if (ev.type === 'menu') run(ev.command);
    });
  }, [run]);

  const highlight = useCallback((sel: Selection | null) => useStore.getState().setPanelHighlight(sel), []);
  const mark = useCallback((source: string, classes: Record<string, string[]>) => useStore.getState().setMarks(source, classes), []);
  const applyChange = useCallback((c: Change) => useStore.getState().applyChange(c), []);
  const reload = useCallback(() => reloadMap(), []);
  const panelProps: PanelProps = useMemo(
    () => ({ doc, lang, api, highlight, mark, applyChange, reload }),
    [doc, lang, highlight, mark, applyChange, reload],
  );

  const setTab = (next: SideTab) => {
    const s = useStore.getState();
    if (PANEL_TABS.includes(s.sideTab) && s.sideTab !== next) s.setPanelHighlight(null);
    s.setSideTab(next);
  };

  return (
    <div className={`workspace${readOnly ? ' read-only' : ''}`} data-testid="workspace">
      <Toolbar ref={toolbar} />
      <ErrorBanner />
      <TeamLines />
      <div className="main">
        <PeopleList />
        <div className="center">
          <MapCanvas />
          <div className="canvas-messages">
            <ConnectBanner />
            <NoticeToast />
          </div>
          <ReviewMode />
          <Legend />
        </div>
        <aside className="side" data-testid="side">
          <nav className="tabs" role="tablist">
            {TABS.map((id) => (
              <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'on' : ''} data-testid={`tab-${id}`} onClick={() => setTab(id)}>
                {t(`side.${id}`)}
              </button>
            ))}
          </nav>
          <div className="side-body" role="tabpanel">
            {tab === 'inspector' && (
              <fieldset className="plain" disabled={readOnly}>
                <Inspector onConnect={(id) => useStore.getState().setConnectFrom(id)} />
              </fieldset>
            )}
            {tab === 'map' && (
              <fieldset className="plain" disabled={readOnly}>
                <MapTab />
              </fieldset>
            )}
            {tab === 'insights' && (
              <Boundary name="insights">
                <InsightsPanel {...panelProps} />
              </Boundary>
            )}
            {tab === 'exchange' && (
              <Boundary name="exchange">
                <ExchangePanel {...panelProps} />
              </Boundary>
            )}
            {tab === 'time' && onTeamMap && (
              <Boundary name="team-history">
                <TeamHistory />
              </Boundary>
            )}
            {tab === 'time' && (
              <Boundary name="time">
                <TimePanel {...panelProps} />
              </Boundary>
            )}
          </div>
        </aside>
      </div>
      <HelpOverlay />
      <EraseHost />
      <ShareDialog />
    </div>
  );
}
