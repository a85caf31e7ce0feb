/**
 * Where the inspector's "Erase completely…" opens its dialog: mounted once in the main window, so
 * the result stays on screen after the person (and with them the inspector) is gone.
 */
import { create } from 'zustand';
import type { ErasablePerson } from '../../../shared/api/privacy';
import { api } from '../api/client';
import { useStore } from '../store';
import { EraseDialog } from './EraseDialog';

/** The person asked about, and the map they are on (another map opened meanwhile drops the question). */
const useErase = create<{ person: ErasablePerson | null; path: string }>(() => ({ person: null, path: '' }));

/** Asks to erase a person on the open map (the dialog says what it removes and asks first). */
export const askErase = (person: { id: string; name: string }): void =>
  useErase.setState({
    person: { id: person.id, name: person.name, onMap: true, inHistory: false, snapshots: 0 },
    path: useStore.getState().doc?.path ?? '',
  });

export function EraseHost() {
  const { person, path } = useErase();
  const lang = useStore((s) => s.lang);
  const doc = useStore((s) => s.doc);
  if (!person || !doc || doc.path !== path) return null;
  return (
    <EraseDialog
      api={api}
      lang={lang}
      doc={doc}
      person={person}
      onErased={(r) => useStore.getState().applyChange(r.change)}
      onClose={() => useErase.setState({ person: null })}
    />
  );
}
