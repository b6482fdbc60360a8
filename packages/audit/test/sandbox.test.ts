import fc from "fast-check";
import type { Manifest, ModelRequest, Turn } from "@assay/protocol";
import {
  BudgetMeter,
  DEFAULT_SANDBOX_LIMITS,
  EMBED_DIMENSION,
  FORBIDDEN_GLOBALS,
  ModelFaultError,
  RuntimeSandbox,
  VIRTUAL_CLOCK,
  embed,
  resolveSandboxLimits,
  type HostModel,
  type StepOutcome,
} from "../src/sandbox";

const manifest: Manifest = {
  name: "sandbox-test",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Tester", role: "a runtime used by the sandbox tests", constraints: ["stay on task"] },
  claims: ["SRIP-03"],
  suite: "core",
};

const turn: Turn = { session: "s-1", participant: "p-1", channel: "direct", text: "hello there" };

const PACKET = `({
  header: { protocol_version: "1.0", source_runtime_id: "t", target_runtime_id: "assay", timestamp: String(host.clock.now()) },
  payload: {
    attractor_state: { id: "a", type: "task", stability: 0.9, phase: "STABLE", scr: 0.8 },
    drift_metrics: { sdi: 0.1, sv: 0.1, pd: 0.1, di: 0.1 },
    memory_snapshot: { summary_hash: "h", retention_index: 0.5 },
    safety_flags: { aegida_status: "nominal", phase_lock: false, recenter_active: false },
  },
  signature: { checksum: "c", integrity_token: "t" },
})`;

/** A module whose step body is `body` (with `host`, `turn` and `packet()` in scope). */
function runtimeSource(body: string, setup = ""): string {
  return `export function createRuntime(host) {
    const packet = () => ${PACKET};
    ${setup}
    return { step(turn) { ${body} } };
  }`;
}

const echoModel: HostModel = (request: ModelRequest) => ({
  text: `echo ${request.messages.map((m) => m.content).join(" / ")}`,
  usage: { inputTokens: 3, outputTokens: 2 },
});

async function open(source: string, options: { limits?: Partial<typeof DEFAULT_SANDBOX_LIMITS>; model?: HostModel; seed?: number; meter?: BudgetMeter } = {}) {
  return RuntimeSandbox.open({
    source,
    manifest,
    limits: resolveSandboxLimits(options.limits),
    seed: options.seed ?? 1,
    model: options.model ?? echoModel,
    meter: options.meter,
  });
}

async function steps(source: string, count: number, options: Parameters<typeof open>[1] = {}): Promise<StepOutcome[]> {
  const sandbox = await open(source, options);
  const out: StepOutcome[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const outcome = sandbox.step({ ...turn, text: `${turn.text} ${i + 1}` });
      out.push(outcome);
      if (outcome.fault) break;
    }
  } finally {
    sandbox.dispose();
  }
  return out;
}

async function firstFault(source: string, options: Parameters<typeof open>[1] = {}) {
  const out = await steps(source, 3, options);
  return out[out.length - 1]!.fault;
}

describe("sandbox: host bridge", () => {
  it("runs createRuntime once and step per turn, returning a validated packet", async () => {
    const source = runtimeSource(`calls += 1; return { reply: "n=" + calls + " created=" + created, packet: packet() };`, `let calls = 0; globalThis.__c = (globalThis.__c || 0) + 1; const created = globalThis.__c;`);
    const out = await steps(source, 3);
    expect(out.map((o) => o.reply)).toEqual(["n=1 created=1", "n=2 created=1", "n=3 created=1"]);
    expect(out.every((o) => o.fault === undefined && o.packet !== null && o.packetIssues.length === 0)).toBe(true);
    expect(out[0]!.packet!.header.timestamp).toBe(String(VIRTUAL_CLOCK.epochMs + VIRTUAL_CLOCK.turnMs));
  });

  it("resolves a step that returns a Promise by draining QuickJS jobs", async () => {
    const source = runtimeSource(`return (async () => { await null; const v = await Promise.resolve(21); return { reply: "v=" + v * 2, packet: packet() }; })();`);
    const [out] = await steps(source, 1);
    expect(out!.reply).toBe("v=42");
    expect(out!.fault).toBeUndefined();
  });

  it("exposes exactly the SPEC host shape with a deep-frozen manifest copy", async () => {
    const source = runtimeSource(`
      const shape = {
        keys: Object.keys(host).sort(),
        model: Object.keys(host.model), sync: Object.keys(host.sync), clock: Object.keys(host.clock),
        frozen: Object.isFrozen(host.manifest) && Object.isFrozen(host.manifest.identity.constraints),
        name: host.manifest.identity.name,
      };
      return { reply: JSON.stringify(shape), packet: packet() };`);
    const [out] = await steps(source, 1);
    expect(JSON.parse(out!.reply!)).toEqual({
      keys: ["clock", "embed", "log", "manifest", "model", "random", "sync"],
      model: ["complete"],
      sync: ["publish"],
      clock: ["now"],
      frozen: true,
      name: "Tester",
    });
  });

  it("passes model requests and responses as JSON copies and advances the virtual clock per call", async () => {
    const seen: ModelRequest[] = [];
    const model: HostModel = (request) => {
      seen.push(request);
      return { text: "ok", usage: { inputTokens: 5, outputTokens: 1 } };
    };
    const source = runtimeSource(`
      const t0 = host.clock.now();
      const r = host.model.complete({ system: "sys", messages: [{ role: "user", content: turn.text }], maxTokens: 10, extra: "dropped" });
      r.text = "mutated";
      const t1 = host.clock.now();
      return { reply: [t0, t1, Date.now(), r.usage.inputTokens].join(","), packet: packet() };`);
    const [out] = await steps(source, 1, { model });
    const t0 = VIRTUAL_CLOCK.epochMs + VIRTUAL_CLOCK.turnMs;
    const t1 = t0 + VIRTUAL_CLOCK.modelCallMs;
    expect(out!.reply).toBe(`${t0},${t1},${t1},5`);
    expect(seen).toEqual([{ system: "sys", messages: [{ role: "user", content: "hello there 1" }], maxTokens: 10 }]);
  });

  it("surfaces a scripted model fault inside the isolate as a thrown { code }", async () => {
    const model: HostModel = () => {
      throw new ModelFaultError("provider_error");
    };
    const source = runtimeSource(`
      try { host.model.complete({ messages: [] }); return { reply: "no throw", packet: packet() }; }
      catch (e) { return { reply: JSON.stringify(e) + " " + (e instanceof Error), packet: packet() }; }`);
    const [out] = await steps(source, 1, { model });
    expect(out!.reply).toBe(`{"code":"provider_error"} false`);
  });

  it("rejects a malformed model request inside the isolate with a TypeError", async () => {
    const source = runtimeSource(`
      try { host.model.complete({ messages: "nope" }); return { reply: "accepted", packet: packet() }; }
      catch (e) { return { reply: e.name, packet: packet() }; }`);
    const [out] = await steps(source, 1);
    expect(out!.reply).toBe("TypeError");
  });

  it("records published packets and schema issues of bad ones", async () => {
    const source = runtimeSource(`host.sync.publish(packet()); host.sync.publish({ header: {} }); return { reply: "ok", packet: { nope: true } };`);
    const [out] = await steps(source, 1);
    expect(out!.published).toHaveLength(1);
    expect(out!.packet).toBeNull();
    expect(out!.packetIssues.some((i) => i.startsWith("packet.header"))).toBe(true);
    expect(out!.packetIssues.some((i) => i.startsWith("published[1].header"))).toBe(true);
    expect(out!.fault).toBeUndefined();
  });

  it("captures bounded log lines", async () => {
    const source = runtimeSource(`for (let i = 0; i < 80; i++) host.log("line", i, { i }); host.log("x".repeat(5000)); return { reply: "ok", packet: packet() };`);
    const [out] = await steps(source, 1);
    expect(out!.logs).toHaveLength(50);
    expect(out!.logs[1]).toBe('line 1 {"i":1}');
  });
});

describe("sandbox: boundary fidelity", () => {
  it("passes any string through turn, reply, log and embed unchanged (lone surrogates become U+FFFD on the way out)", async () => {
    const sandbox = await open(runtimeSource(`host.log(turn.text); return { reply: turn.text, packet: { embedded: host.embed(turn.text) } };`));
    try {
      fc.assert(
        fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => {
          const out = sandbox.step({ ...turn, text });
          expect(out.fault).toBeUndefined();
          // Canonical JSON (the transcript hash) cannot carry a lone surrogate; everything else is exact.
          const expected = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
          expect(out.reply).toBe(expected);
          expect(out.logs).toEqual([expected]);
        }),
        { numRuns: 60 },
      );
    } finally {
      sandbox.dispose();
    }
    const [out] = await steps(runtimeSource(`return { reply: JSON.stringify(host.embed("a\u0000b \ud800")), packet: packet() };`), 1);
    expect(JSON.parse(out!.reply!)).toEqual(embed("a\u0000b \ud800"));
  });
});

describe("sandbox: determinism", () => {
  const probe = runtimeSource(`return { reply: [Math.random(), host.random(), Date.now(), new Date().toString(), new Date(2020, 0, 2, 3, 4).getHours(), new Date(0).getTimezoneOffset(), new Date("2020-01-01T10:00").toISOString()].join("|"), packet: packet() };`);

  it("makes Math.random, host.random, Date and local time functions of the seed and virtual clock", async () => {
    const a = await steps(probe, 3, { seed: 7 });
    const b = await steps(probe, 3, { seed: 7 });
    const c = await steps(probe, 3, { seed: 8 });
    expect(a.map((o) => o.reply)).toEqual(b.map((o) => o.reply));
    expect(a.map((o) => o.reply)).not.toEqual(c.map((o) => o.reply));
    const parts = a[0]!.reply!.split("|");
    expect(parts[2]).toBe(String(VIRTUAL_CLOCK.epochMs + VIRTUAL_CLOCK.turnMs));
    expect(parts[3]).toBe("Thu Jan 01 2026 00:00:01 GMT+0000");
    expect(parts.slice(4)).toEqual(["3", "0", "2020-01-01T10:00:00.000Z"]);
  });

  it("counts the same CPU units for the same work", async () => {
    const work = runtimeSource(`let s = ""; for (let i = 0; i < 20000; i++) s += String.fromCharCode(97 + (i % 26)); return { reply: s.slice(0, 5) + s.length, packet: packet() };`);
    const a = await steps(work, 4);
    const b = await steps(work, 4);
    expect(a.map((o) => o.budgetUsed)).toEqual(b.map((o) => o.budgetUsed));
    expect(a[1]!.budgetUsed).toBeGreaterThan(0);
  });
});

describe("sandbox: limits and faults", () => {
  it("interrupts an infinite loop at the step budget (timeout)", async () => {
    const fault = await firstFault(runtimeSource(`for (;;) {}`), { limits: { stepBudget: 50 } });
    expect(fault).toEqual({ kind: "timeout", message: "step exceeded its CPU budget of 50 units" });
  });

  it("budgets module evaluation and createRuntime too (counted in the first step)", async () => {
    const topLevel = `for (;;) {}\n${runtimeSource(`return { reply: "x", packet: packet() };`)}`;
    expect((await firstFault(topLevel, { limits: { stepBudget: 50 } }))?.kind).toBe("timeout");
    const [out] = await steps(runtimeSource(`return { reply: "async create", packet: packet() };`, `await null;`).replace("export function createRuntime", "export async function createRuntime"), 1);
    expect(out!.reply).toBe("async create");
  });

  it("cannot catch the budget interrupt", async () => {
    const fault = await firstFault(runtimeSource(`try { for (;;) {} } catch (e) { return { reply: "caught", packet: packet() }; }`), { limits: { stepBudget: 50 } });
    expect(fault?.kind).toBe("timeout");
  });

  it.each([
    ["model calls", `host.model.complete({ messages: [] })`],
    ["log calls", `host.log()`],
    ["embed calls", `host.embed("a b")`],
    ["clock reads", `Date.now()`],
  ])("charges host calls to the budget, so a loop of %s is stopped", async (_label, call) => {
    let modelCalls = 0;
    const model: HostModel = () => {
      modelCalls += 1;
      return { text: "", usage: { inputTokens: 0, outputTokens: 0 } };
    };
    const fault = await firstFault(runtimeSource(`for (let i = 0; i < 5e7; i++) ${call}; return { reply: "done", packet: packet() };`), { model });
    expect(fault?.kind).toBe("timeout");
    expect(modelCalls).toBeLessThanOrEqual(501);
  });

  it("bounds an endless microtask chain by the budget", async () => {
    const fault = await firstFault(runtimeSource(`const f = () => { Promise.resolve().then(f); }; f(); return new Promise(() => {});`));
    expect(fault?.kind).toBe("timeout");
  });

  it("enforces the audit budget across sandboxes sharing a meter", async () => {
    const meter = new BudgetMeter(60);
    const spin = runtimeSource(`let x = 0; for (let i = 0; i < 200000; i++) x += i; return { reply: String(x), packet: packet() };`);
    const first = await steps(spin, 10, { meter, limits: { auditBudget: 60 } });
    const second = first.some((o) => o.fault) ? first : await steps(spin, 10, { meter, limits: { auditBudget: 60 } });
    const fault = [...first, ...second].find((o) => o.fault)?.fault;
    expect(fault).toEqual({ kind: "timeout", message: "audit exceeded its CPU budget of 60 units" });
    expect(meter.used).toBeGreaterThan(60);
  });

  it("turns a memory bomb into a memory fault", async () => {
    const fault = await firstFault(runtimeSource(`const a = []; for (;;) a.push(new Float64Array(1 << 18));`), { limits: { memoryBytes: 16 * 1024 * 1024 } });
    expect(fault?.kind).toBe("memory");
  });

  it("caps the WASM linear memory, so huge buffers fail too, and the next sandbox still works", async () => {
    const fault = await firstFault(runtimeSource(`const b = new ArrayBuffer(1e9); return { reply: String(b.byteLength), packet: packet() };`), { limits: { memoryBytes: 16 * 1024 * 1024 } });
    expect(fault?.kind).toBe("memory");
    const [after] = await steps(runtimeSource(`return { reply: new Array(1000).fill("ok").join("").length + "", packet: packet() };`), 1, { limits: { memoryBytes: 16 * 1024 * 1024 } });
    expect(after!.reply).toBe("2000");
  });

  it("turns unbounded recursion into a memory (stack) fault without crashing Node", async () => {
    const fault = await firstFault(runtimeSource(`const f = (n) => f(n + 1) + 1; return f(0);`));
    expect(fault?.kind).toBe("memory");
    expect(fault?.message).toMatch(/stack/);
  });

  it("stops a step whose output exceeds the cap", async () => {
    const fault = await firstFault(runtimeSource(`return { reply: "A".repeat(300000), packet: packet() };`));
    expect(fault?.kind).toBe("output_limit");
    const logFlood = await firstFault(runtimeSource(`for (let i = 0; i < 100; i++) host.log("y".repeat(1000)); return { reply: "ok", packet: packet() };`), { limits: { outputBytes: 10_000 } });
    expect(logFlood?.kind).toBe("output_limit");
  });

  it.each(FORBIDDEN_GLOBALS.map((name) => [name]))("records a touch of %s as forbidden_api even when caught", async (name) => {
    const fault = await firstFault(runtimeSource(`try { void ${name}; } catch (e) {} return { reply: "ok", packet: packet() };`));
    expect(fault).toEqual({ kind: "forbidden_api", message: `forbidden access: global ${name}` });
  });

  it("records typeof probes and globalThis lookups of forbidden names", async () => {
    expect((await firstFault(runtimeSource(`return { reply: typeof process, packet: packet() };`)))?.kind).toBe("forbidden_api");
    expect((await firstFault(runtimeSource(`return { reply: String(globalThis["fe" + "tch"]), packet: packet() };`)))?.kind).toBe("forbidden_api");
    expect((await firstFault(runtimeSource(`globalThis.require = () => 1; return { reply: "ok", packet: packet() };`)))?.kind).toBe("forbidden_api");
  });

  it("treats static and dynamic imports as forbidden_api", async () => {
    const staticImport = `import fs from "fs";\n${runtimeSource(`return { reply: "ok", packet: packet() };`)}`;
    expect(await firstFault(staticImport)).toEqual({ kind: "forbidden_api", message: 'forbidden access: import of module "fs"' });
    const dynamic = runtimeSource(`return import("os").then(() => ({ reply: "ok", packet: packet() }), () => ({ reply: "denied", packet: packet() }));`);
    expect((await firstFault(dynamic))?.kind).toBe("forbidden_api");
  });

  it("records host tampering and prototype pollution as forbidden_api", async () => {
    const tamper = await firstFault(runtimeSource(`try { host.model.complete = () => 1; } catch (e) {} return { reply: "ok", packet: packet() };`));
    expect(tamper).toEqual({ kind: "forbidden_api", message: "forbidden access: host tampering: set host.model.complete" });
    const proto = await firstFault(runtimeSource(`try { Object.setPrototypeOf(host, {}); } catch (e) {} return { reply: "ok", packet: packet() };`));
    expect(proto?.message).toMatch(/setPrototypeOf host/);
    const pollution = await firstFault(runtimeSource(`Object.prototype.polluted = 1; return { reply: "ok", packet: packet() };`));
    expect(pollution).toEqual({ kind: "forbidden_api", message: "prototype pollution: Object.prototype.polluted added" });
    const replaced = await firstFault(runtimeSource(`Array.prototype.map = function () { return []; }; return { reply: "ok", packet: packet() };`));
    expect(replaced?.message).toBe("prototype pollution: Array.prototype.map modified");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([1, 2].map((x) => x * 2)).toEqual([2, 4]);
  });

  it("allows freezing the host again and mutating the runtime's own objects", async () => {
    const [out] = await steps(runtimeSource(`Object.freeze(host); const own = { a: 1 }; own.a = 2; class K {} K.prototype.x = 1; return { reply: String(own.a + new K().x), packet: packet() };`), 1);
    expect(out!.fault).toBeUndefined();
    expect(out!.reply).toBe("3");
  });

  it.each([
    ["a missing createRuntime", `export const nothing = 1;`, /does not export createRuntime/],
    ["a CommonJS entry", `module.exports = { createRuntime() {} };`, /'module' is not defined/],
    ["a syntax error", `export function createRuntime( {`, /SyntaxError/],
    ["createRuntime without step", `export function createRuntime() { return {}; }`, /step\(turn\) method/],
    ["an uncaught throw", runtimeSource(`throw new Error("boom");`), /step threw: Error: boom/],
    ["a rejected promise", runtimeSource(`return Promise.reject(new RangeError("nope"));`), /step rejected: RangeError: nope/],
    ["a promise that never settles", runtimeSource(`return new Promise(() => {});`), /never settles/],
  ])("ends %s as a crash", async (_label, source, message) => {
    const fault = await firstFault(source);
    expect(fault?.kind).toBe("crash");
    expect(fault?.message).toMatch(message);
  });

  it.each([
    ["a number", runtimeSource(`return 42;`)],
    ["undefined", runtimeSource(`return undefined;`)],
    ["a reply that is not a string", runtimeSource(`return { reply: 1, packet: packet() };`)],
    ["a cyclic value", runtimeSource(`const r = { reply: "x" }; r.self = r; return r;`)],
    ["a BigInt", runtimeSource(`return { reply: "x", n: 1n };`)],
  ])("ends %s as invalid_result", async (_label, source) => {
    expect((await firstFault(source))?.kind).toBe("invalid_result");
  });

  it("refuses further steps after a fault and keeps working for the next sandbox", async () => {
    const sandbox = await open(runtimeSource(`throw new Error("x");`));
    expect(sandbox.step(turn).fault?.kind).toBe("crash");
    expect(() => sandbox.step(turn)).toThrow(/disposed/);
    const [out] = await steps(runtimeSource(`return { reply: "fine", packet: packet() };`), 1);
    expect(out!.reply).toBe("fine");
  });

  it("rethrows host-side bugs instead of blaming the runtime", async () => {
    const broken: HostModel = () => {
      throw new Error("model bug");
    };
    const sandbox = await open(runtimeSource(`try { host.model.complete({ messages: [] }); } catch (e) {} return { reply: "ok", packet: packet() };`), { model: broken });
    expect(() => sandbox.step(turn)).toThrow("model bug");
    sandbox.dispose();
  });

  it("leaves no bridge internals on globalThis", async () => {
    const [out] = await steps(runtimeSource(`return { reply: JSON.stringify(Object.getOwnPropertyNames(globalThis)), packet: packet() };`), 1);
    const names: string[] = JSON.parse(out!.reply!);
    expect(names.filter((n) => /assay|native|bridge|host/i.test(n))).toEqual([]);
    expect(names).not.toContain("console");
  });
});

describe("sandbox: CPU metering (WebAssembly gas, decision 0014)", () => {
  it("charges a native builtin by its own work and stops it at the budget as a timeout", async () => {
    // One split("") of 4 M characters is a single native call: no interpreter poll inside it.
    const out = await steps(runtimeSource(`const parts = "a".repeat(1 << 22).split(""); return { reply: String(parts.length), packet: packet() };`), 1, { limits: { stepBudget: 50 } });
    expect(out[0]!.fault).toEqual({ kind: "timeout", message: "step exceeded its CPU budget of 50 units" });
    expect(out[0]!.budgetUsed).toBeGreaterThan(50);
    const [next] = await steps(runtimeSource(`return { reply: "fine", packet: packet() };`), 1);
    expect(next!.reply).toBe("fine");
  });

  it("charges bulk memory operations by size (a trap in the copy/fill helper is a timeout, not a crash)", async () => {
    const fill = `const buf = new Uint8Array(48 * 1024 * 1024); for (let i = 0; i < 1000; i++) buf.fill(i & 255); return { reply: "filled", packet: packet() };`;
    const fault = await firstFault(runtimeSource(fill), { limits: { stepBudget: 20, memoryBytes: 128 * 1024 * 1024 } });
    expect(fault?.kind).toBe("timeout");
  });

  it("counts the same units for the same native work in separate sandboxes", async () => {
    const work = runtimeSource(`const s = "ab,".repeat(50000); const n = s.split(",").join(";").toUpperCase().length + JSON.stringify(s.split("")).length; return { reply: String(n), packet: packet() };`);
    const a = await steps(work, 3);
    const b = await steps(work, 3);
    expect(a.map((o) => o.budgetUsed)).toEqual(b.map((o) => o.budgetUsed));
    expect(a.every((o) => o.fault === undefined && o.budgetUsed > 1)).toBe(true);
  });

  it("charges host calls by the length of the string they carry, before doing the work", async () => {
    const cheap = await steps(runtimeSource(`host.embed("x"); return { reply: "ok", packet: packet() };`), 2);
    const dear = await steps(runtimeSource(`host.embed("word ".repeat(40000)); return { reply: "ok", packet: packet() };`), 2);
    // 200 000 characters at 1 milli-unit each.
    expect(dear[1]!.budgetUsed - cheap[1]!.budgetUsed).toBeGreaterThanOrEqual(200);
    const refused = await firstFault(runtimeSource(`host.embed("x".repeat(4 * 1024 * 1024)); return { reply: "ok", packet: packet() };`));
    expect(refused).toEqual({ kind: "timeout", message: "step exceeded its CPU budget of 500 units" });
  });
});

describe("embed", () => {
  it("is deterministic, fixed-dimension and unit length", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const v = embed(text);
        expect(v).toHaveLength(EMBED_DIMENSION);
        expect(v).toEqual(embed(text));
        const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
        expect(Math.abs(norm - 1)).toBeLessThan(1e-9);
      }),
    );
  });

  it("is a bag of lowercase words", () => {
    expect(embed("Plan the Migration")).toEqual(embed("migration plan THE"));
    expect(embed("plan the migration")).not.toEqual(embed("bake a cake"));
  });

  it("is the function behind host.embed", async () => {
    const [out] = await steps(runtimeSource(`return { reply: JSON.stringify(host.embed("Rollback plan")), packet: packet() };`), 1);
    expect(JSON.parse(out!.reply!)).toEqual(embed("Rollback plan"));
  });
});
