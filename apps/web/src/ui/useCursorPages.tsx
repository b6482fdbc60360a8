// Pages of a list the API paginates (decision 0032): the current page loaded
// with useResource, a stack of the cursors that led to it (so "previous" goes
// back without the API knowing about backwards paging), and the page size. A
// change of `deps` (a filter) starts again from the first page.
import { useState } from "react";
import { useResource, type Resource } from "./useResource";

export type CursorPage<T> = { rows: T[]; nextCursor: string | null | undefined };

export type ServerPaging = {
  /** Zero-based page index. */
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  pageSize: number;
  onPageSize: (size: number) => void;
  /** The page is being fetched (the rows shown are still the previous page's). */
  loading: boolean;
};

export function useCursorPages<T>(
  load: (page: { cursor?: string; limit: number }) => Promise<CursorPage<T>>,
  deps: readonly unknown[],
  initialSize = 10,
): { resource: Resource<CursorPage<T>>; paging: ServerPaging } {
  const [pageSize, setPageSize] = useState(initialSize);
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: "", cursors: [undefined] });
  // Why a key: a new filter (deps) or page size starts from page one.
  const key = JSON.stringify([...deps.map((d) => (typeof d === "object" ? null : d)), pageSize]);
  const cursors = state.key === key ? state.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const resource = useResource(() => load({ cursor, limit: pageSize }), [...deps, pageSize, cursor]);
  const next = resource.data?.nextCursor ?? null;
  return {
    resource,
    paging: {
      page: cursors.length - 1,
      hasPrevious: cursors.length > 1,
      hasNext: next !== null && !resource.loading,
      onPrevious: () => setState({ key, cursors: cursors.slice(0, -1) }),
      onNext: () => next !== null && setState({ key, cursors: [...cursors, next] }),
      pageSize,
      onPageSize: (size) => setPageSize(size),
      loading: resource.loading,
    },
  };
}
