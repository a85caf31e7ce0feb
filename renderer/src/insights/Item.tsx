import type { ReactNode } from 'react';

/** One clickable row of an Insights list: highlights its people (and edges) on the map. */
export function Item(props: { active: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <li className={props.active ? 'is-active' : undefined}>
      <button type="button" className="ins-item-btn" aria-pressed={props.active} onClick={props.onClick}>
        {props.children}
      </button>
    </li>
  );
}
