/** The keyboard shortcuts, listed (opened with ? or the toolbar). */
import { useTranslation } from 'react-i18next';
import { useStore } from '../store';

/** [key, what it does]; a key written as `help.…` is a word to translate (mouse actions). */
const SHORTCUTS: [string, string][] = [
  ['help.dblclickKey', 'help.dblclick'],
  ['N', 'help.newPerson'],
  ['help.dragKey', 'help.drag'],
  ['help.connectKey', 'help.connect'],
  ['E', 'help.newEdge'],
  ['Del / ⌫', 'help.del'],
  ['/ · Ctrl+F', 'help.search'],
  ['F', 'help.focus'],
  ['⇧F', 'help.fitSelection'],
  ['Ctrl+Z', 'help.undo'],
  ['Ctrl+Shift+Z · Ctrl+Y', 'help.redo'],
  ['1 · 2 · 3 · 4', 'help.layouts'],
  ['C', 'help.coaches'],
  ['X', 'help.conflicts'],
  ['Esc', 'help.escape'],
  ['?', 'help.help'],
];

export function HelpOverlay() {
  const { t } = useTranslation();
  const open = useStore((s) => s.help);
  if (!open) return null;
  const close = () => useStore.getState().setHelp(false);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label={t('help.title')} data-testid="help-overlay" onClick={close}>
      <div className="overlay-box" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>{t('help.title')}</h2>
          <button type="button" onClick={close} aria-label={t('app.close')}>
            ✕
          </button>
        </header>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map(([k, label]) => (
              <tr key={label}>
                <td>
                  <kbd>{k.startsWith('help.') ? t(k) : k}</kbd>
                </td>
                <td>{t(label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
