// Which address a request comes from, for rate limits and lockouts. The
// connection's address, unless that is a configured trusted proxy
// (ASSAY_TRUSTED_PROXIES, default none): then X-Forwarded-For is walked from the
// right past trusted hops to the first address not trusted, as Express's
// req.ip does with the same matcher (app.ts sets it as "trust proxy"). Why not
// "loopback" any more: any local client (and anything behind a local web proxy
// that appends rather than replaces) could choose a fresh X-Forwarded-For per
// request and never be limited (issue 14 §3).
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

export type ProxyTrust = (address: string) => boolean;

/** A matcher for the configured proxies (IP addresses or CIDR blocks, v4 or v6). */
export function trustedProxyMatcher(entries: readonly string[]): ProxyTrust {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [ip, prefix] = entry.split("/") as [string, string | undefined];
    const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(prefix), family);
  }
  return (address) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return list.check(plain, family === 6 ? "ipv6" : "ipv4") || (plain !== address && list.check(address, "ipv6"));
  };
}

/** The client's address: the socket's, or the forwarded one when every hop after it is a trusted proxy. */
export function clientAddressOf(req: Pick<IncomingMessage, "headers" | "socket">, trusts: ProxyTrust): string {
  let address = req.socket.remoteAddress ?? "unknown";
  if (!trusts(address)) return address;
  const header = req.headers["x-forwarded-for"];
  const raw = Array.isArray(header) ? header.join(",") : header ?? "";
  const hops = raw.split(",").map((h) => h.trim()).filter((h) => h !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A malformed hop ends the walk: nothing before it can be attributed.
    if (isIP(unmapped(hop)) === 0) return address;
    address = hop;
    if (!trusts(address)) return address;
  }
  return address;
}

/** ::ffff:10.0.0.1 → 10.0.0.1 (a dual-stack socket's spelling of an IPv4 peer). */
function unmapped(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
