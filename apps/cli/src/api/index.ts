export { AssayApi, DEFAULT_TIMEOUTS, ROUTES, type ApiTimeouts, type SubmitRuntimeBody } from "./client";
export * from "./errors";
export * from "./schemas";
export { isEventStream, readEventStream, type StreamMessage } from "./event-stream";
