// Loads one thing and keeps its state (loading, error, data) with a reload; the
// screen renders each state (ResourceView: loading text, error with a retry).
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { ErrorNotice } from "./ErrorNotice";

export type Resource<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // Which deps the shown data answers. Why: the render in which deps change comes before the effect
  // that sets `loading`, so without this that render shows the old data as not loading (a pager
  // said "Page 1" over page 2's rows; the operator browser test caught it).
  const generation = useDepsGeneration([...deps, tick]);
  const [loadedGeneration, setLoadedGeneration] = useState(-1);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    loadRef.current().then(
      (value) => {
        if (!live) return;
        setData(value);
        setLoading(false);
        setLoadedGeneration(generation);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
        setLoadedGeneration(generation);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading: loading || loadedGeneration !== generation, reload };
}

/** A number that changes exactly when the deps change (compared as React compares effect deps). */
function useDepsGeneration(deps: readonly unknown[]): number {
  const ref = useRef<{ deps: readonly unknown[]; generation: number } | null>(null);
  const previous = ref.current;
  if (previous === null) ref.current = { deps, generation: 0 };
  else if (previous.deps.length !== deps.length || previous.deps.some((d, i) => !Object.is(d, deps[i]))) ref.current = { deps, generation: previous.generation + 1 };
  return ref.current!.generation;
}

/** Loading, error (with retry) or the content for the loaded value. */
export function ResourceView<T>({ resource, what, children }: { resource: Resource<T>; what: string; children: (data: T) => ReactNode }) {
  if (resource.error) return <ErrorNotice error={resource.error} context={`Could not load ${what}`} onRetry={resource.reload} />;
  if (resource.data === undefined)
    return (
      <p className="busy" role="status">
        Loading {what}…
      </p>
    );
  return (
    <>
      {resource.loading && (
        <p className="busy" role="status">
          Refreshing {what}…
        </p>
      )}
      {children(resource.data)}
    </>
  );
}
