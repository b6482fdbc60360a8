// Forwards API paths to the API server, streaming both ways (so the developer
// plane's server-sent events pass through unbuffered). node:http only.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import type { RequestHandler } from "./static-files";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]);

export function apiProxy(apiUrl: string): RequestHandler {
  const target = new URL(apiUrl);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return (req: IncomingMessage, res: ServerResponse) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers.host = target.host;
    const forwardedFor = req.socket.remoteAddress;
    if (forwardedFor) headers["x-forwarded-for"] = forwardedFor;
    const upstream = send(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: `${target.pathname.replace(/\/$/, "")}${req.url ?? "/"}`,
        headers,
      },
      (upstreamRes) => {
        const out: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(upstreamRes.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, out);
        res.flushHeaders();
        upstreamRes.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res
        .writeHead(502, { "content-type": "application/json; charset=utf-8" })
        .end(JSON.stringify({ error: { code: "api_unreachable", message: `the API at ${apiUrl} is not reachable: ${error.message}` } }));
    });
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  };
}
