// Reading a submission's server-sent-event stream (GET
// /v1/developer/submissions/:id/events) with eventsource-parser over fetch:
// EventSource cannot send the Authorization header. Each message's data is
// handed over as parsed JSON (or text when it is not JSON).
import { createParser, type EventSourceMessage } from "eventsource-parser";

export type StreamMessage = { event: string; data: unknown };

/**
 * Feeds every message of an open text/event-stream response to `onMessage`.
 * Resolves when the server ends the stream or `onMessage` returns "stop";
 * rejects when the connection breaks.
 */
export async function readEventStream(response: Response, onMessage: (message: StreamMessage) => "stop" | void): Promise<"ended" | "stopped"> {
  if (!response.body) return "ended";
  let stop = false;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      if (stop) return;
      if (onMessage({ event: message.event ?? "message", data: parseData(message.data) }) === "stop") stop = true;
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return "ended";
      parser.feed(value);
      if (stop) return "stopped";
    }
  } finally {
    // Closing our side ends the server's stream too.
    await reader.cancel().catch(() => undefined);
  }
}

export function isEventStream(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").toLowerCase().startsWith("text/event-stream");
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
