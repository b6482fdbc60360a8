// The cookie policy every API response must meet (docs/security.md "Cookies"),
// checked by the test client (helpers.ts clientFor) on every response of every
// API test, so a route that starts setting a cookie is held to it at once:
//   - HttpOnly (no script reads a session cookie);
//   - SameSite=Strict or SameSite=Lax (never None: no cross-site sending);
//   - Secure, except on plain http to a loopback address (development and tests:
//     a browser would drop a Secure cookie set over http://127.0.0.1, and the
//     connection never leaves the machine).

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** What is wrong with each Set-Cookie header of a response to `requestUrl` (empty: all good). */
export function cookiePolicyProblems(setCookies: readonly string[], requestUrl: string): string[] {
  const url = new URL(requestUrl);
  const plainLoopback = url.protocol === "http:" && LOOPBACK.has(url.hostname);
  const problems: string[] = [];
  for (const header of setCookies) {
    const [pair, ...rawAttributes] = header.split(";").map((p) => p.trim());
    const name = (pair ?? "").split("=")[0] || "(unnamed)";
    const attributes = new Map(
      rawAttributes.map((a) => {
        const [key, ...value] = a.split("=");
        return [key!.trim().toLowerCase(), value.join("=").trim().toLowerCase()] as const;
      }),
    );
    if (!attributes.has("httponly")) problems.push(`${name}: no HttpOnly`);
    const sameSite = attributes.get("samesite");
    if (sameSite !== "strict" && sameSite !== "lax") problems.push(`${name}: SameSite must be Strict or Lax, got ${sameSite ?? "none set"}`);
    if (!attributes.has("secure") && !plainLoopback) problems.push(`${name}: no Secure (required except on plain http to loopback)`);
  }
  return problems;
}

/** Throws when a response's cookies break the policy. */
export function assertCookiePolicy(headers: Headers, requestUrl: string): void {
  const problems = cookiePolicyProblems(headers.getSetCookie(), requestUrl);
  if (problems.length > 0) throw new Error(`Set-Cookie breaks the cookie policy (${requestUrl}): ${problems.join("; ")}`);
}
