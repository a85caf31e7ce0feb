/** The one place errors show: a translated message, details if any, dismissible. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../shared/i18n/errors';
import { useStore } from '../store';

export function ErrorBanner() {
  const { t } = useTranslation();
  const stored = useStore((s) => s.error);
  const lang = useStore((s) => s.lang);
  if (!stored) return null;
  // Said in the language shown now (the user may have switched since).
  const error = stored.shape ? { ...stored, ...describeError(stored.shape, lang) } : stored;
  return (
    <div className="error-banner" role="alert" data-testid="error">
      <span className="error-message">{error.message}</span>
      {error.technical && (
        // The main side's own words (English): apart, with the details that came with them.
        <details className="error-technical">
          <summary>{t('app.technical')}</summary>
          <code>{[error.technical, ...(error.details ?? []).slice(0, 8)].join('\n')}</code>
        </details>
      )}
      {!error.technical && error.details && error.details.length > 0 && (
        <ul className="error-details">
          {error.details.slice(0, 8).map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      )}
      <button type="button" className="link" onClick={() => useStore.getState().setError(null)}>
        {t('app.dismiss')}
      </button>
    </div>
  );
}

/** Keeps a crashing part (e.g. a side panel) from blanking the whole window. */
export class Boundary extends Component<{ children: ReactNode; name: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`[${this.props.name}]`, error, info.componentStack);
  }
  override render() {
    if (this.state.error)
      return (
        <div className="error-banner inline" role="alert" data-testid={`crash-${this.props.name}`}>
          {this.props.name}: {this.state.error.message}
          <button type="button" className="link" onClick={() => this.setState({ error: null })}>
            ↻
          </button>
        </div>
      );
    return this.props.children;
  }
}
