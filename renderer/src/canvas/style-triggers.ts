/**
 * Cheaper style application for our canvas (issue 22, "a cheaper stylesheet").
 *
 * When Cytoscape applies a stylesheet to an element it runs its triggers once per applied
 * property: it clears the style cache of the element *and of every connected line* (building a
 * collection of them each time), marks bounds dirty, and so on. A card applies some forty
 * properties, so opening a 200-person map cleared each card's lines' caches forty times over. Here
 * the triggers of one element's application are gathered and run once at its end — the same
 * state afterwards (each trigger is idempotent: it clears caches or queues a notification).
 *
 * Only for the canvases registered here (bare Cytoscape elsewhere in the page keeps its own
 * behaviour), and only where Cytoscape's internals look as expected (3.x); otherwise nothing is
 * changed.
 */
import type cytoscape from 'cytoscape';

type Ele = cytoscape.SingularElementReturnValue & {
  removed(): boolean;
  dirtyStyleCache(): void;
  dirtyCompoundBoundsCache(): void;
  dirtyBoundingBoxCache(): void;
  parallelEdges(): cytoscape.CollectionReturnValue;
};
type Trigger = ((from: unknown, to: unknown, ele: Ele) => boolean) | undefined;
interface Prop {
  triggersZOrder?: Trigger;
  triggersBounds?: Trigger;
  triggersBoundsOfConnectedEdges?: Trigger;
  triggersBoundsOfParallelEdges?: Trigger;
}
interface StyleProto {
  _private: { cy: cytoscape.Core & { notify(event: string, ele: Ele): void } };
  properties: Record<string, Prop | undefined>;
  applyContextStyle(meta: unknown, style: unknown, ele: Ele): unknown;
  checkTriggers(ele: Ele, name: string, from: unknown, to: unknown): void;
}

const cores = new WeakSet<object>();
let patched = false;

/** What one element's application triggered, run once at its end. */
interface Pending {
  ele: Ele;
  z: boolean;
  bounds: boolean;
  edges: boolean;
  parallel: boolean;
}

export function batchStyleTriggers(cy: cytoscape.Core): void {
  cores.add(cy);
  if (patched) return;
  const proto = Object.getPrototypeOf(cy.style()) as Partial<StyleProto> | null;
  const applyContextStyle = proto?.applyContextStyle;
  const checkTriggers = proto?.checkTriggers;
  if (!proto || typeof applyContextStyle !== 'function' || typeof checkTriggers !== 'function') return;
  patched = true;
  let pending: Pending | null = null;

  proto.checkTriggers = function (this: StyleProto, ele, name, from, to) {
    const p = pending;
    if (!p || p.ele !== ele) return checkTriggers.call(this, ele, name, from, to);
    if (ele.removed()) return;
    const prop = this.properties[name];
    if (!prop) return;
    if (!p.z && prop.triggersZOrder?.(from, to, ele)) p.z = true;
    if (!p.bounds && prop.triggersBounds?.(from, to, ele)) p.bounds = true;
    if (!p.edges && prop.triggersBoundsOfConnectedEdges?.(from, to, ele)) p.edges = true;
    if (!p.parallel && prop.triggersBoundsOfParallelEdges?.(from, to, ele)) p.parallel = true;
  };

  proto.applyContextStyle = function (this: StyleProto, meta, style, ele) {
    if (pending || !cores.has(this._private.cy)) return applyContextStyle.call(this, meta, style, ele);
    const p: Pending = { ele, z: false, bounds: false, edges: false, parallel: false };
    pending = p;
    try {
      return applyContextStyle.call(this, meta, style, ele);
    } finally {
      pending = null;
      if (!ele.removed()) {
        ele.dirtyStyleCache();
        if (p.z) this._private.cy.notify('zorder', ele);
        if (p.bounds) {
          ele.dirtyCompoundBoundsCache();
          ele.dirtyBoundingBoxCache();
        }
        if (p.edges) ele.connectedEdges().forEach((e) => void (e as Ele).dirtyBoundingBoxCache());
        if (p.parallel) ele.parallelEdges().forEach((e) => void (e as Ele).dirtyBoundingBoxCache());
      }
    }
  };
}
