// Follow a submission to a final state (certified | rejected | failed): over its
// server-sent-event stream when the API offers one, by polling the submission
// otherwise (no stream route, a non-stream answer, or a stream that breaks or
// ends early). Whatever the events said, the final state is read back with a GET,
// so the result is the server's record, not the CLI's reconstruction.
import { ApiNotFoundError, ApiResponseError, ApiUnreachableError, isEventStream, isFinalStatus, readEventStream, type AssayApi, type SubmissionView } from "../api";
import { applyEvent, watchStateOf, withView, type WatchState } from "./watch-state";

export type FollowOptions = {
  /** Between two GETs when polling. */
  pollIntervalMs?: number;
  /** Called with every new state, the first being the current one. */
  onState?(state: WatchState): void;
  /** Called once when the stream is not available and polling takes over (why, for the user). */
  onFallback?(reason: string): void;
  signal?: AbortSignal;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
};

export const DEFAULT_POLL_INTERVAL_MS = 1_000;

export async function followSubmission(api: AssayApi, id: string, options: FollowOptions = {}): Promise<WatchState> {
  const onState = options.onState ?? (() => undefined);
  let state = watchStateOf(await api.submission(id, options.signal));
  onState(state);
  if (isFinalStatus(state.status)) return state;

  const streamed = await followStream(api, id, state, (next) => {
    state = next;
    onState(state);
  }, options);
  if (streamed.kind === "unavailable") options.onFallback?.(streamed.reason);

  // Read back the server's record; keep polling if the stream ended before the end.
  const sleep = options.sleep ?? delay;
  for (let first = true; ; first = false) {
    if (!first) await sleep(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, options.signal);
    const view: SubmissionView = await api.submission(id, options.signal);
    const next = withView(state, view);
    if (JSON.stringify(next) !== JSON.stringify(state)) {
      state = next;
      onState(state);
    }
    if (isFinalStatus(state.status)) return state;
  }
}

type StreamOutcome = { kind: "final" } | { kind: "ended" } | { kind: "unavailable"; reason: string };

async function followStream(api: AssayApi, id: string, initial: WatchState, update: (state: WatchState) => void, options: FollowOptions): Promise<StreamOutcome> {
  const abort = new AbortController();
  const stopOnCaller = () => abort.abort();
  options.signal?.addEventListener("abort", stopOnCaller, { once: true });
  let state = initial;
  try {
    let response: Response;
    try {
      response = await api.openSubmissionEvents(id, abort.signal);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      // No stream on this server (or it refused this request): poll instead. A
      // rejected key or an unreachable server is not something polling fixes.
      if (error instanceof ApiResponseError && error.status === 404) return { kind: "unavailable", reason: `${api.baseUrl} has no event stream route` };
      if (error instanceof ApiNotFoundError || error instanceof ApiResponseError) return { kind: "unavailable", reason: error.message };
      if (error instanceof ApiUnreachableError || (error as Error).name === "AbortError") return { kind: "unavailable", reason: error instanceof Error ? error.message : String(error) };
      throw error;
    }
    if (!isEventStream(response)) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: "unavailable", reason: `the events route answered ${response.headers.get("content-type") ?? "without a content type"}, not text/event-stream` };
    }
    try {
      const how = await readEventStream(response, (message) => {
        const next = applyEvent(state, message.data);
        if (next === state) return;
        state = next;
        update(state);
        if (isFinalStatus(state.status)) return "stop";
      });
      return how === "stopped" ? { kind: "final" } : { kind: "ended" };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return { kind: "unavailable", reason: `the event stream broke: ${(error as Error).message}` };
    }
  } finally {
    options.signal?.removeEventListener("abort", stopOnCaller);
    abort.abort();
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
