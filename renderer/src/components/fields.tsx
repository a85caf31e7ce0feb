/**
 * Small form controls that commit like a desktop app: text on blur or Enter (Esc reverts),
 * choices at once. Each commit is one API edit.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';

export function Field({ label, children, hint, className }: { label: ReactNode; children: ReactNode; hint?: ReactNode; className?: string }) {
  return (
    <div className={`field ${className ?? ''}`}>
      <div className="field-label">{label}</div>
      {children}
      {hint && <div className="field-hint">{hint}</div>}
    </div>
  );
}

export function TextField(props: {
  label: ReactNode;
  value: string;
  onCommit(v: string): void;
  placeholder?: string;
  multiline?: boolean;
  testId?: string;
  type?: 'text' | 'date';
  hint?: ReactNode;
  className?: string;
}) {
  const [v, setV] = useState(props.value);
  const id = useId();
  useEffect(() => setV(props.value), [props.value]);
  const commit = () => {
    if (v !== props.value) props.onCommit(v);
  };
  const common = {
    id,
    value: v,
    placeholder: props.placeholder,
    'data-testid': props.testId,
    onBlur: commit,
  };
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label className="field-label" htmlFor={id}>
        {props.label}
      </label>
      {props.multiline ? (
        <textarea
          {...common}
          rows={3}
          onChange={(e) => setV(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setV(props.value);
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) commit();
            e.stopPropagation();
          }}
        />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          onChange={(e) => setV(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setV(props.value);
            e.stopPropagation();
          }}
        />
      )}
      {props.hint && <div className="field-hint">{props.hint}</div>}
    </div>
  );
}

export function Segmented<T extends string | number>(props: {
  value: T;
  options: { value: T; label: ReactNode; swatch?: string; title?: string }[];
  onChange(v: T): void;
  testId?: string;
  label?: string;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={props.label} data-testid={props.testId}>
      {props.options.map((o) => (
        <button
          key={String(o.value)}
          type="button"
          role="radio"
          aria-checked={o.value === props.value}
          className={o.value === props.value ? 'on' : ''}
          title={o.title}
          data-value={String(o.value)}
          onClick={() => o.value !== props.value && props.onChange(o.value)}
        >
          {o.swatch && <span className="swatch" style={{ background: o.swatch }} />}
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function Switch(props: { checked: boolean; onChange(v: boolean): void; label: ReactNode; testId?: string }) {
  return (
    <label className="switch">
      <input type="checkbox" role="switch" checked={props.checked} data-testid={props.testId} onChange={(e) => props.onChange(e.target.checked)} />
      <span className="switch-track" aria-hidden="true" />
      <span>{props.label}</span>
    </label>
  );
}

export function Select<T extends string>(props: {
  label?: ReactNode;
  value: T;
  options: { value: T; label: string }[];
  onChange(v: T): void;
  testId?: string;
}) {
  const id = useId();
  const sel = (
    <select id={id} value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value as T)}>
      {props.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
  if (!props.label) return sel;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {props.label}
      </label>
      {sel}
    </div>
  );
}

/** A list of chips with an input to add one (roles, competitors). */
export function ChipInput(props: {
  values: string[];
  onAdd(v: string): void;
  onRemove(v: string): void;
  placeholder: string;
  render?(v: string): ReactNode;
  testId?: string;
}) {
  const [v, setV] = useState('');
  return (
    <div className="chips" data-testid={props.testId}>
      {props.values.map((x) => (
        <span key={x} className="chip">
          {props.render ? props.render(x) : x}
          <button type="button" aria-label={`× ${x}`} onClick={() => props.onRemove(x)}>
            ×
          </button>
        </span>
      ))}
      <input
        value={v}
        placeholder={props.placeholder}
        onChange={(e) => setV(e.target.value)}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter' && v.trim()) {
            props.onAdd(v.trim());
            setV('');
          }
        }}
      />
    </div>
  );
}
