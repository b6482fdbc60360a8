// Pure parts of the public registry (decision 0017): the status rule, the search
// instants, XML text escaping, If-None-Match matching and the badge's bytes.
import { isSearchInstant, registryStatusOf } from "@assay/protocol";
import { etagOf, ifNoneMatchMatches } from "../src/http/cache";
import { badgeSvg, xmlText } from "../src/planes/public/badge-svg";

const NOW = new Date("2026-06-01T00:00:00Z");
const LATER = new Date("2026-07-01T00:00:00Z");
const EARLIER = new Date("2026-05-01T00:00:00Z");

test("registry status: revoked wins, then expiry (recorded or by time), then suspension", () => {
  expect(registryStatusOf("active", LATER, NOW)).toBe("certified");
  expect(registryStatusOf("active", NOW, NOW)).toBe("expired");
  expect(registryStatusOf("active", EARLIER, NOW)).toBe("expired");
  expect(registryStatusOf("suspended", LATER, NOW)).toBe("suspended");
  expect(registryStatusOf("suspended", EARLIER, NOW)).toBe("expired");
  expect(registryStatusOf("expired", LATER, NOW)).toBe("expired");
  expect(registryStatusOf("revoked", EARLIER, NOW)).toBe("revoked");
  expect(registryStatusOf("revoked", LATER, NOW)).toBe("revoked");
});

test("search instants: calendar dates and ISO instants from 1970, nothing else", () => {
  for (const ok of ["2026-12-01", "2024-02-29", "1970-01-01", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00.123+01:00", "9999-12-31"]) expect({ ok, valid: isSearchInstant(ok) }).toEqual({ ok, valid: true });
  for (const bad of ["2026-02-30", "2025-02-29", "0000-00-00", "1969-12-31", "2026-13-01", "+275760-09-13T00:00:00.000Z", "2026-12-01T25:00:00Z", "yesterday", "", "2026-12-01 09:00"])
    expect({ bad, valid: isSearchInstant(bad) }).toEqual({ bad, valid: false });
});

test("xmlText escapes the five characters, replaces what XML 1.0 forbids, caps the length", () => {
  expect(xmlText(`<a href="x">&'</a>`, 100)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  expect(xmlText("a\u0000b\u0008c\u000bd\u001fe\ufffef\uffff", 100)).toBe("a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffd");
  expect(xmlText("tab\tnl\ncr\r", 100)).toBe("tab\tnl\ncr\r");
  expect(xmlText("lone \ud800 and \udc00, pair \ud83d\ude00", 100)).toBe("lone \ufffd and \ufffd, pair \ud83d\ude00");
  expect(xmlText("x".repeat(10), 5)).toBe("xxxx…");
  expect([...xmlText("😀".repeat(10), 5)]).toHaveLength(5);
});

test("If-None-Match: the tag, a list containing it, weak forms and * match; others do not", () => {
  const tag = etagOf("body");
  expect(tag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  expect(ifNoneMatchMatches(tag, tag)).toBe(true);
  expect(ifNoneMatchMatches(`"a", ${tag}`, tag)).toBe(true);
  expect(ifNoneMatchMatches(`W/${tag}`, tag)).toBe(true);
  expect(ifNoneMatchMatches("*", tag)).toBe(true);
  expect(ifNoneMatchMatches(`"a"`, tag)).toBe(false);
  expect(ifNoneMatchMatches(undefined, tag)).toBe(false);
  expect(ifNoneMatchMatches(tag.slice(1, -1), tag)).toBe(false);
});

test("the badge is deterministic and grows with its text", () => {
  const facts = { id: `0x${"a".repeat(64)}`, status: "certified" as const, claims: ["SRIP-03", "SRIP-05"], runtime: { name: "r", version: "1.0.0" } };
  expect(badgeSvg(facts)).toBe(badgeSvg({ ...facts }));
  const width = (svg: string) => Number(/^<svg[^>]* width="(\d+)"/.exec(svg)![1]);
  expect(width(badgeSvg({ ...facts, claims: ["SRIP-03", "SRIP-05", "SRIP-13"] }))).toBeGreaterThan(width(badgeSvg(facts)));
  expect(badgeSvg({ status: "unknown" })).toContain(">unknown</text>");
  expect(badgeSvg({ status: "unknown" })).not.toContain("SRIP");
});
