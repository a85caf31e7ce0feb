/**
 * GraphML read back by an independent reader: NetworkX's read_graphml, in a python3 subprocess.
 * NetworkX refuses a graph that mixes directed and undirected edges, and makes a MultiDiGraph
 * when two people are joined by more than one line, so this checks both that the file is one
 * graph of one kind and that parallel lines survive. CI installs Debian's python3-networkx
 * (.ci/run); without it the test fails and says so, it never skips.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSymmetricKind } from '../../shared/domain';
import { dispatch } from '../../services/handlers';
import { readSample } from '../../services/sample';
import { REPO, webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

/** The first python3 that can import networkx: Debian's, then the one on PATH. */
function pythonWithNetworkx(): string | { tried: string[] } {
  const tried: string[] = [];
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import networkx'], { encoding: 'utf8' });
    if (r.status === 0) return py;
    tried.push(`${py}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  return { tried };
}

const READER = `
import json, sys
import networkx as nx
g = nx.read_graphml(sys.argv[1])
print(json.dumps({
  "type": type(g).__name__,
  "graph": g.graph,
  "nodes": {n: a for n, a in g.nodes(data=True)},
  "edges": [{"source": u, "target": v, "key": k, **a} for u, v, k, a in g.edges(keys=True, data=True)],
}, ensure_ascii=False))
`;

interface Read {
  type: string;
  graph: Record<string, unknown>;
  nodes: Record<string, Record<string, unknown>>;
  edges: { source: string; target: string; key: string; kind: string; symmetric: boolean; strength: number; note?: string }[];
}

describe('GraphML as NetworkX reads it', () => {
  it('holds every person, team member, relation and coverage line of the sample, parallel lines kept', async () => {
    const py = pythonWithNetworkx();
    if (typeof py !== 'string')
      throw new Error(
        `no python3 with networkx: install Debian's python3-networkx (apt-get install python3-networkx; .ci/run does) — tried ${py.tried.join('; ')}`,
      );
    const dir = tmp();
    const s = webSession(dir);
    expect(await dispatch(s, 'map.openSample', { lang: 'en-US' })).toMatchObject({ ok: true });
    const out = path.join(dir, 'sample.graphml');
    expect(await dispatch(s, 'exchange.export', { format: 'graphml', path: out })).toMatchObject({ ok: true, value: { files: [out] } });
    await s.close();
    // No edge says directed="false": one kind of edge for the whole graph.
    expect(fs.readFileSync(out, 'utf8')).not.toMatch(/directed="false"/);

    const script = path.join(dir, 'read.py');
    fs.writeFileSync(script, READER);
    const r = spawnSync(py, [script, out], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const g = JSON.parse(r.stdout) as Read;

    const sample = readSample(path.join(REPO, 'resources'), 'en-US');
    expect(g.type).toBe('MultiDiGraph'); // the sample has reports-to and influence between the same two people
    expect(g.graph).toMatchObject({ account: sample.meta!.account });
    expect(Object.keys(g.nodes).sort()).toEqual([...sample.people.map((p) => p.id), ...sample.team.map((m) => m.id)].sort());
    for (const p of sample.people)
      expect(g.nodes[p.id]).toMatchObject({ kind: 'person', name: p.name, label: p.name, title: p.title, attitude: p.attitude, influence: p.influence });
    for (const m of sample.team) expect(g.nodes[m.id]).toMatchObject({ kind: 'member', name: m.name, member_role: m.role });
    // Personal profiles stay out unless asked for.
    for (const n of Object.values(g.nodes)) expect(Object.keys(n).some((k) => k.startsWith('profile_'))).toBe(false);

    expect(g.edges).toHaveLength(sample.relations.length + sample.coverage.length);
    const byKey = new Map(g.edges.map((e) => [e.key, e]));
    for (const rel of sample.relations) {
      expect(byKey.get(rel.id), rel.id).toEqual({
        source: rel.source,
        target: rel.target,
        key: rel.id,
        kind: rel.kind,
        symmetric: isSymmetricKind(rel.kind),
        strength: rel.strength,
        ...(rel.note ? { note: rel.note } : {}),
      });
    }
    expect(g.edges.filter((e) => e.symmetric).map((e) => e.kind).sort()).toEqual(
      sample.relations.filter((x) => x.kind === 'alliance' || x.kind === 'conflict').map((x) => x.kind).sort(),
    );
    const covers = g.edges.filter((e) => e.kind === 'covers');
    expect(covers.map((e) => [e.source, e.target, e.strength, e.symmetric]).sort()).toEqual(
      sample.coverage.map((c) => [c.memberId, c.personId, c.strength, false]).sort(),
    );
    // Parallel lines: some pair of people is joined by two different kinds, and both arrived.
    const pairs = new Map<string, Set<string>>();
    for (const e of g.edges) {
      const k = [e.source, e.target].sort().join(' ');
      pairs.set(k, (pairs.get(k) ?? new Set()).add(e.kind));
    }
    expect([...pairs.values()].some((kinds) => kinds.has('reports_to') && kinds.has('influence'))).toBe(true);
  });
});
