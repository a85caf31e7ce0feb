/**
 * Test page for the Insights panel (bundled by tests/e2e/insights.test.ts with esbuild): mounts
 * the panel alone against the real API of the loopback server, and records what it asks of the
 * map (highlights, marks) on window.__insights.
 */
import { DirectedGraph } from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { analyze } from '../../shared/analysis';
import { deferenceEdges } from '../../shared/analysis/influence';
import { MapModel } from '../../shared/analysis/model';
import { PAGERANK_ALPHA, PAGERANK_MAX_ITERATIONS, PAGERANK_TOLERANCE } from '../../shared/analysis/weights';
import type { MapDocument } from '../../shared/domain';
import { api } from '../../renderer/src/api/client';
import { InsightsPanel } from '../../renderer/src/insights/InsightsPanel';
import type { Selection } from '../../renderer/src/panels';

interface Recorded {
  highlights: (Selection | null)[];
  marks: Record<string, Record<string, string[]>>;
  changes: number;
  /** For the benchmark: median ms of analyze() on the open map in this page, beside graphology's PageRank. */
  timing(runs: number): Promise<{ analyze: number; pagerank: number; people: number }>;
}
declare global {
  interface Window {
    __insights: Recorded;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
async function timing(runs: number) {
  const doc = await api.call('map.get', {});
  const model = new MapModel(doc);
  const ids = model.people.map((p) => p.id);
  const edges = deferenceEdges(model);
  const pr = () => {
    const g = new DirectedGraph<Record<string, never>, { weight: number }>();
    for (const id of ids) g.addNode(id);
    for (let i = 0; i < edges.src.length; i++) {
      const [a, b] = [ids[edges.src[i]!]!, ids[edges.dst[i]!]!];
      if (g.hasEdge(a, b)) g.updateEdgeAttribute(a, b, 'weight', (x) => (x ?? 0) + edges.w[i]!);
      else g.addEdge(a, b, { weight: edges.w[i]! });
    }
    pagerank(g, { getEdgeWeight: 'weight', alpha: PAGERANK_ALPHA, maxIterations: PAGERANK_MAX_ITERATIONS, tolerance: PAGERANK_TOLERANCE });
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    let t = performance.now();
    analyze(doc, { lang: 'en-US' });
    if (i >= 3) a.push(performance.now() - t);
    t = performance.now();
    pr();
    if (i >= 3) b.push(performance.now() - t);
  }
  return { analyze: median(a), pagerank: median(b), people: doc.people.length };
}
window.__insights = { highlights: [], marks: {}, changes: 0, timing };

function Harness() {
  const lang = new URLSearchParams(window.location.search).get('lang') === 'zh-CN' ? 'zh-CN' : 'en-US';
  const [doc, setDoc] = useState<MapDocument | null>(null);
  const reload = async () => setDoc(await api.call('map.get', {}));
  useEffect(() => {
    void reload();
  }, []);
  if (!doc) return <p>Loading…</p>;
  return (
    <div style={{ width: 400, padding: 8, fontFamily: "'Noto Sans', 'WenQuanYi Micro Hei', sans-serif" }}>
      <InsightsPanel
        doc={doc}
        lang={lang}
        api={api}
        highlight={(sel) => window.__insights.highlights.push(sel)}
        mark={(source, classes) => {
          window.__insights.marks[source] = classes;
        }}
        applyChange={() => {
          window.__insights.changes++;
          void reload();
        }}
        reload={reload}
      />
      <button type="button" id="harness-reload" onClick={() => void reload()}>
        reload
      </button>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
