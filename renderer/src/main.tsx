import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { MapDocument } from '../../shared/domain';
import { api } from './api/client';

function App() {
  const [doc, setDoc] = useState<MapDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('map.get', {}).then(setDoc, (e: Error) => setError(e.message));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!doc) return <p>Loading…</p>;
  return (
    <main>
      <h1>{doc.meta.account}</h1>
      <ul aria-label="People">
        {doc.people.map((p) => (
          <li key={p.id}>{p.name}</li>
        ))}
      </ul>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
