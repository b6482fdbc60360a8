import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const tsx = resolve(__dirname, "../../../node_modules/tsx/dist/cli.mjs");
const cli = resolve(__dirname, "../src/simulate/cli.ts");
const run = (...args: string[]) => spawnSync(process.execPath, [tsx, cli, ...args], { encoding: "utf8", timeout: 60_000 });

describe("simulate CLI", () => {
  it("prints the summary as JSON only on stdout", () => {
    const r = run("--rounds", "5", "--validators", "12", "--json", "--no-svg");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rounds).toBe(5);
    expect(Object.keys(out.profiles)).toEqual(["honest", "lazy", "contrarian", "colluding", "absent"]);
    for (const p of Object.values(out.profiles) as { share: number; reputation: number; stake: number }[]) {
      expect(p).toEqual(expect.objectContaining({ share: expect.any(Number), reputation: expect.any(Number), stake: expect.any(Number) }));
    }
    expect(out.wrongOutcomes).toBeGreaterThanOrEqual(0);
    expect(out.history).toBeUndefined();
  });

  it("prints the Sybil capture rates as JSON with their parameters", () => {
    const r = run("--sybil", "--assemblies", "200", "--json");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.captureRate).toEqual({ open: expect.any(Number), admitted: expect.any(Number) });
    expect(out.captureRate.admitted).toBeLessThanOrEqual(0.01);
    expect(out.captureRate.open).toBeGreaterThanOrEqual(0.99);
    expect(out).toMatchObject({ assemblies: 200, identities: 100, attackerIdentities: 30, seatCount: 5 });
    expect(out.assumptions.length).toBeGreaterThan(0);
  });

  it.each([
    [["--sybil", "--attacker-share", "2"], /attackerShare/],
    [["--rounds", "many"], /--rounds must be a number/],
    [["--bogus"], /Unknown option/],
    [["--param", "seatCount=0"], /seatCount/],
  ])("exits 2 on bad usage %j", (args, message) => {
    const r = run(...args, "--no-svg");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});
