import { Writable } from "node:stream";
import picocolors from "picocolors";
import { bpsToDecimal } from "../src/render/numbers";
import { plainProgress, terminalProgress } from "../src/render/progress";
import { renderSummary } from "../src/render/summary";
import { renderTable } from "../src/render/table";
import { CRASH_FINDING, CRYSTALLIZED_FINDING, LEAK_FINDING, RECOVERY_FINDING, reportFixture } from "./report-fixture";

const SUBJECT = { name: "atlas", version: "1.2.3", digest: `0x${"c".repeat(64)}` as const };
const plain = picocolors.createColors(false);

describe("bpsToDecimal", () => {
  it.each([
    [0, "0.0000"],
    [4123, "0.4123"],
    [4500, "0.4500"],
    [5, "0.0005"],
    [12_345, "1.2345"],
    [-250, "-0.0250"],
    [null, "—"],
  ])("%p → %s", (bps, text) => expect(bpsToDecimal(bps)).toBe(text));
});

describe("renderSummary", () => {
  it("shows verdict, both digests, suite, per-scenario max DI and findings sorted by severity", () => {
    const report = reportFixture(SUBJECT, [CRYSTALLIZED_FINDING, CRASH_FINDING]);
    const text = renderSummary(report, plain);
    const lines = text.split("\n");

    expect(lines[0]).toBe("FAIL  atlas@1.2.3  claims not evidenced: SRIP-03, SRIP-05");
    expect(text).toContain(`subject digest  ${SUBJECT.digest}`);
    expect(text).toContain(`report digest   ${report.digest}`);
    expect(text).toContain("suite           core 1.0.0, seed 7");
    expect(lines.find((l) => l.includes("long-horizon") && l.includes("120"))).toMatch(/long-horizon\s+7\s+120\s+yes\s+0\.4123$/);
    expect(lines.find((l) => l.startsWith("  provider-faults"))).toMatch(/provider-faults\s+7\s+12\s+no\s+— \(unverified\)$/);
    expect(text).toContain("Findings (1 critical, 1 minor)");
    const crash = lines.findIndex((l) => l.includes("critical") && l.includes("RUNTIME_CRASH"));
    const crystal = lines.findIndex((l) => l.includes("CRYSTALLIZED"));
    expect(crash).toBeGreaterThan(0);
    expect(crystal).toBeGreaterThan(crash);
    expect(lines[crash]).toMatch(/critical\s+RUNTIME_CRASH\s+provider-faults\s+12\s+step threw TypeError/);
    expect(lines[crystal]).toMatch(/minor\s+CRYSTALLIZED\s+long-horizon\s+—\s+stability/);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("says PASS and 'none' for a clean report, and colours only when asked", () => {
    const report = reportFixture(SUBJECT);
    expect(renderSummary(report, plain)).toMatch(/^PASS {2}atlas@1\.2\.3\n[\s\S]*Claims \(2 of 2 evidenced\)\n[\s\S]*Findings\n {2}none\n$/);
    expect(renderSummary(report, picocolors.createColors(true))).toMatch(/\u001b\[32mPASS/);
  });
});

describe("renderSummary claims", () => {
  it("tables every claim with its status and blocking codes, and names withheld claims beside a pass verdict", () => {
    const report = reportFixture(SUBJECT, [LEAK_FINDING, RECOVERY_FINDING, CRYSTALLIZED_FINDING], ["SRIP-03", "SRIP-05", "SRIP-13"]);
    const lines = renderSummary(report, plain).split("\n");
    expect(lines[0]).toBe("PASS  atlas@1.2.3  claims not evidenced: SRIP-03, SRIP-13");
    const at = lines.indexOf("Claims (1 of 3 evidenced)");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 5)).toEqual([
      "  SRIP     STATUS         FINDINGS",
      "  SRIP-03  not-evidenced  RECOVERY_SLOW",
      "  SRIP-05  evidenced      —",
      "  SRIP-13  not-evidenced  SESSION_LEAK",
    ]);
  });

  it("names the srip13 mode and lists shadowed codes beside an evidenced SRIP-13 (srip13.mode shadow)", () => {
    const report = {
      ...reportFixture(SUBJECT),
      rollout: { srip13: "shadow" as const },
      claims: [{ srip: "SRIP-13" as const, status: "evidenced" as const, findings: [], shadowed: ["ALIAS_SCOPE_LEAK" as const] }],
    };
    const text = renderSummary(report, plain);
    expect(text).toMatch(/srip13 mode {5}shadow/);
    expect(text).toMatch(/SRIP-13\s+evidenced\s+— \(shadowed: ALIAS_SCOPE_LEAK\)/);
  });

  it("shows a claim the suite does not test as not-tested", () => {
    const report = { ...reportFixture(SUBJECT), claims: [{ srip: "SRIP-05" as const, status: "not-tested" as const, findings: [] }] };
    const text = renderSummary(report, plain);
    expect(text).toContain("claims not evidenced: SRIP-05");
    expect(text).toMatch(/SRIP-05\s+not-tested\s+—/);
  });
});

describe("renderTable", () => {
  it("pads columns to the widest visible cell, ignoring ANSI codes", () => {
    const red = picocolors.createColors(true).red;
    expect(renderTable(["A", "B"], [[red("xyz"), "1"], ["w", "22"]], "")).toEqual(["A    B", `${red("xyz")}  1`, "w    22"]);
  });
});

describe("plainProgress", () => {
  it("writes one line per scenario when it completes, or when the next starts after an early stop", () => {
    const lines: string[] = [];
    const progress = plainProgress((l) => lines.push(l));
    progress.update({ scenario: "a", turn: 1, turns: 2, di: 1000 });
    progress.update({ scenario: "a", turn: 2, turns: 2, di: 500 });
    progress.update({ scenario: "b", turn: 1, turns: 3, di: null });
    progress.update({ scenario: "c", turn: 1, turns: 1, di: 7000 });
    progress.stop();
    expect(lines).toEqual([
      "scenario a: 2/2 turns, max DI 0.1000\n",
      "scenario b: 1/3 turns, max DI —\n",
      "scenario c: 1/1 turns, max DI 0.7000\n",
    ]);
  });
});

describe("terminalProgress", () => {
  it("draws a bar per run with turn, current DI and maximum DI, and restores the cursor on stop", () => {
    let written = "";
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString("utf8");
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    Object.assign(stream, { isTTY: true, columns: 120 });

    const progress = terminalProgress(stream);
    progress.update({ scenario: "long-horizon", turn: 0, turns: 120, di: null });
    progress.update({ scenario: "long-horizon", turn: 120, turns: 120, di: 4123 });
    progress.update({ scenario: "stability/long-horizon@7920", turn: 60, turns: 120, di: 812 });
    progress.stop();

    const text = written.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
    expect(text).toMatch(/long-horizon {19}=+ 120\/120 DI 0\.4123 max 0\.4123/);
    expect(text).toMatch(/stability\/long-horizon@7920 {4}=+-+ 60\/120 DI 0\.0812 max 0\.0812/);
    expect(written).toContain("\u001b[?25h"); // cursor shown again
  });
});
