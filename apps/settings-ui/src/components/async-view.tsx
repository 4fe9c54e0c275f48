import type { ReactNode } from 'react';
import type { LoadState } from './use-load';

/**
 * Loading, error and empty states in one place. While loading the first time, a skeleton of
 * `reserveRows` rows keeps the space the content will take.
 */
export function AsyncView<T>(props: {
  state: LoadState<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  reserveRows?: number;
  label: string;
  children: (data: T) => ReactNode;
}) {
  const { state } = props;
  if (state.error && state.data === undefined) {
    return (
      <div className="notice notice-error" role="alert">
        <p>
          Could not load {props.label}: {state.error.message}
        </p>
        <button type="button" onClick={state.reload}>
          Try again
        </button>
      </div>
    );
  }
  if (state.data === undefined) {
    return (
      <div
        className="skeleton"
        aria-busy="true"
        aria-label={`Loading ${props.label}`}
        style={{ minHeight: `${(props.reserveRows ?? 5) * 2.6}rem` }}
      >
        {Array.from({ length: props.reserveRows ?? 5 }, (_, i) => (
          <div key={i} className="skeleton-row" />
        ))}
      </div>
    );
  }
  if (props.isEmpty?.(state.data)) return <div className="notice empty">{props.empty ?? `No ${props.label} yet.`}</div>;
  return (
    <div aria-busy={state.loading} className={state.loading ? 'reloading' : undefined}>
      {state.error && (
        <p className="notice notice-error" role="alert">
          Refreshing failed: {state.error.message}
        </p>
      )}
      {props.children(state.data)}
    </div>
  );
}
