// CPU seconds per budget unit for the most expensive code we know how to write
// inside the sandbox (docs/decisions/0014-cpu-metering.md). Each attack runs in
// one step with a huge step budget and a fixed amount of work, and the CPU time
// of this process is divided by the units the step was charged. A ratio far
// above the interpreted baseline is a metering hole.
//   npx tsx bench/cpu-metering.bench.ts [name-filter]
import type { Manifest } from "@assay/protocol";
import { RuntimeSandbox, resolveSandboxLimits } from "../src/sandbox";

const manifest: Manifest = {
  name: "cpu-bench",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Bench", role: "measures CPU per budget unit", constraints: ["none"] },
  claims: ["SRIP-03"],
  suite: "core",
};

/** name → step body (runs once); `host` in scope. Setup runs in createRuntime (not measured separately). */
export const ATTACKS: Record<string, { setup?: string; body: string }> = {
  "interpreted loop": { body: `let s = 0; for (let i = 0; i < 3e6; i++) s += i;` },
  "host.embed 16 MB": { setup: `const big = "word ".repeat(3355443);`, body: `for (let i = 0; i < 3; i++) host.embed(big);` },
  "host.embed 1 kB x20k": { setup: `const t = "word ".repeat(200);`, body: `for (let i = 0; i < 20000; i++) host.embed(t);` },
  "host.log 100 kB x200": { setup: `const t = "x".repeat(100000);`, body: `for (let i = 0; i < 200; i++) host.log(t);` },
  "host.model.complete 1 MB x20": { setup: `const t = "word ".repeat(200000);`, body: `for (let i = 0; i < 20; i++) { try { host.model.complete({ messages: [{ role: "user", content: t }] }); } catch (e) {} }` },
  "split('') 16 kB": { setup: `const s = "a".repeat(16384);`, body: `for (let i = 0; i < 300; i++) s.split("");` },
  "split('') 1 MB": { setup: `const s = "a".repeat(1 << 20);`, body: `for (let i = 0; i < 4; i++) s.split("");` },
  "spread string 1 MB": { setup: `const s = "a".repeat(1 << 20);`, body: `for (let i = 0; i < 4; i++) [...s];` },
  "Array.from string 1 MB": { setup: `const s = "a".repeat(1 << 20);`, body: `for (let i = 0; i < 4; i++) Array.from(s);` },
  "repeat 8 MB": { body: `for (let i = 0; i < 20; i++) "ab".repeat(1 << 22).length;` },
  "padStart 8 MB": { body: `for (let i = 0; i < 20; i++) "".padStart(1 << 23, "xy").length;` },
  "join 1M": { setup: `const a = new Array(1 << 20).fill("ab");`, body: `for (let i = 0; i < 10; i++) a.join(",");` },
  "JSON.stringify 1M array": { setup: `const a = new Array(1 << 20).fill(1);`, body: `for (let i = 0; i < 5; i++) JSON.stringify(a);` },
  "JSON.parse 4 MB": { setup: `const t = JSON.stringify(new Array(1 << 20).fill(1));`, body: `for (let i = 0; i < 5; i++) JSON.parse(t);` },
  "indexOf worst case": { setup: `const hay = "a".repeat(1 << 20); const needle = "a".repeat(1000) + "b";`, body: `for (let i = 0; i < 3; i++) hay.indexOf(needle);` },
  "includes array 4M": { setup: `const a = new Array(1 << 22).fill(0);`, body: `for (let i = 0; i < 20; i++) a.includes(1);` },
  "sort 1M numbers": { setup: `const a = []; for (let i = 0; i < 1 << 20; i++) a.push((i * 7919) % 1000003);`, body: `for (let i = 0; i < 2; i++) a.slice().sort();` },
  "regex backtracking": { body: `/^(a+)+$/.test("a".repeat(24) + "!");` },
  "replace regex 1 MB": { setup: `const s = "ab".repeat(1 << 19);`, body: `for (let i = 0; i < 5; i++) s.replace(/a/g, "xyz");` },
  "toLowerCase 8 MB": { setup: `const s = "AB".repeat(1 << 22);`, body: `for (let i = 0; i < 10; i++) s.toLowerCase();` },
  "new Set 1M": { setup: `const a = []; for (let i = 0; i < 1 << 20; i++) a.push(i);`, body: `for (let i = 0; i < 3; i++) new Set(a);` },
  "BigInt pow": { body: `let x = 3n ** 200000n; x = x * x;` },
  "flatten rope": { body: `let s = ""; for (let i = 0; i < 20000; i++) { s += "x".repeat(100); } s.charCodeAt(5);` },
  "fill 4M": { setup: `const a = new Array(1 << 22);`, body: `for (let i = 0; i < 20; i++) a.fill(i);` },
  "typed array fill 64M": { setup: `const a = new Uint8Array(1 << 26);`, body: `for (let i = 0; i < 40; i++) a.fill(i);` },
  "Object.keys 1M": { setup: `const o = {}; for (let i = 0; i < 1 << 19; i++) o["k" + i] = i;`, body: `for (let i = 0; i < 5; i++) Object.keys(o);` },
  "JSON.stringify 300 kB string": { setup: `const s = "y".repeat(300 * 1024);`, body: `JSON.stringify(s);` },
  "repeat 300 kB": { body: `"y".repeat(300 * 1024).length;` },
  "string compare 8 MB": { setup: `const a = "x".repeat(1 << 23); const b = "x".repeat(1 << 23) ;`, body: `let n = 0; for (let i = 0; i < 200; i++) if (a === b) n++;` },
};

async function measure(name: string): Promise<{ name: string; units: number; cpuMs: number; msPerUnit: number; fault?: string }> {
  const attack = ATTACKS[name]!;
  const source = `export function createRuntime(host) { ${attack.setup ?? ""}
    return { step(turn) { ${attack.body}; return { reply: "done", packet: null }; } }; }`;
  const sandbox = await RuntimeSandbox.open({
    source,
    manifest,
    limits: resolveSandboxLimits({ stepBudget: 2_000_000_000, auditBudget: 2_000_000_000, memoryBytes: 512 * 1024 * 1024 }),
    seed: 1,
    model: () => ({ text: "ok", usage: { inputTokens: 1, outputTokens: 1 } }),
  });
  const turn = { session: "s", participant: "p", channel: "direct" as const, text: "hi" };
  try {
    // First step carries module evaluation + createRuntime (the setup); measure the second.
    const first = sandbox.step(turn);
    if (first.fault) return { name, units: first.budgetUsed, cpuMs: 0, msPerUnit: 0, fault: `${first.fault.kind}: ${first.fault.message}` };
    const before = process.cpuUsage();
    const out = sandbox.step(turn);
    const cpu = process.cpuUsage(before);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const units = out.budgetUsed;
    return { name, units, cpuMs, msPerUnit: units > 0 ? cpuMs / units : Infinity, ...(out.fault ? { fault: `${out.fault.kind}: ${out.fault.message}` } : {}) };
  } finally {
    sandbox.dispose();
  }
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const rows = [];
  for (const name of Object.keys(ATTACKS)) {
    if (filter && !name.includes(filter)) continue;
    const row = await measure(name);
    rows.push(row);
    console.log(`${row.name.padEnd(30)} ${String(row.units).padStart(9)} units ${row.cpuMs.toFixed(0).padStart(7)} ms  ${row.msPerUnit.toFixed(4).padStart(10)} ms/unit${row.fault ? `  [${row.fault}]` : ""}`);
  }
}

if (require.main === module) void main();
