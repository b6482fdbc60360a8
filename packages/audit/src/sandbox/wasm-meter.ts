// Deterministic CPU metering of the QuickJS WebAssembly binary ("gas").
//
// Why: QuickJS's interrupt handler is only polled by the bytecode interpreter.
// Native builtins (String.prototype.split, JSON.parse, Array.prototype.sort,
// indexOf on megabytes, ...) run their loops in C without polling, so a budget
// of interrupt polls let one step burn seconds of CPU per unit. Counting in the
// WebAssembly itself covers every path at once: this module rewrites the binary
// so that every function entry and every `loop` body starts by decrementing an
// exported i64 global (`assay_gas`) and traps (`unreachable`) when it reaches
// zero, and every
// `memory.copy` / `memory.fill` (O(n) in one instruction) is routed through a
// helper that charges n/64 first. The count is a pure function of the code
// executed by one fixed binary: deterministic on every machine, and it tracks
// CPU time within a small factor (docs/decisions/0014-cpu-metering.md).
//
// The sandbox reads the global to charge budget units and sets it to the
// remaining allowance, so an over-budget native call traps at a deterministic
// point instead of running to the wall clock.

/** Name of the exported gas global. */
export const GAS_EXPORT = "assay_gas";
/** Bytes of memory.copy / memory.fill that cost one gas (about one loop iteration of CPU). */
export const BULK_BYTES_PER_GAS = 64;

class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }
  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error("wasm-meter: unexpected end of binary");
    return this.bytes[this.pos++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return result;
    }
  }
  /** Skip a signed LEB128 of any width. */
  sleb(): void {
    while (this.byte() & 0x80) {
      /* continuation */
    }
  }
  skip(n: number): void {
    this.pos += n;
  }
}

function u32leb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Append without spreading (a spread of the 400 kB code section overflows the stack). */
function append(out: number[], bytes: ArrayLike<number>): number[] {
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]!);
  return out;
}

/** A growable byte buffer (the code section is rewritten into one of these: fast, no number[]). */
class Writer {
  buf = new Uint8Array(1 << 16);
  len = 0;
  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  bytes(data: ArrayLike<number>): void {
    this.ensure(data.length);
    if (data instanceof Uint8Array) this.buf.set(data, this.len);
    else for (let i = 0; i < data.length; i++) this.buf[this.len + i] = data[i]!;
    this.len += data.length;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}


function nameBytes(name: string): number[] {
  const bytes = [...Buffer.from(name, "utf8")];
  return [...u32leb(bytes.length), ...bytes];
}

type Section = { id: number; start: number; end: number };

function sections(bytes: Uint8Array): Section[] {
  const r = new Reader(bytes, 8);
  const out: Section[] = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    out.push({ id, start: r.pos, end: r.pos + size });
    r.skip(size);
  }
  return out;
}

/** Skip one memarg (alignment flags may carry a memory index: multi-memory). */
function memarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.u32();
  r.u32();
}

export type MeterStats = { loops: number; entries: number; bulkOps: number; functions: number };

/**
 * Rewrite a function body: gas check at the start of every loop, bulk memory
 * operations through the charging helpers. Throws on an opcode it does not
 * know, so a new engine build cannot silently go unmetered.
 */
function rewriteBody(body: Uint8Array, gas: number, copyFn: number, fillFn: number, stats: MeterStats, out: Writer, count: boolean): void {
  if (!count) {
    out.bytes(body);
    return;
  }
  const r = new Reader(body);
  const localGroups = r.u32();
  for (let i = 0; i < localGroups; i++) {
    r.u32();
    r.byte();
  }
  out.bytes(body.subarray(0, r.pos));
  const gasIdx = u32leb(gas);
  const check = Uint8Array.from([0x23, ...gasIdx, 0x50, 0x04, 0x40, 0x00, 0x0b, 0x23, ...gasIdx, 0x42, 0x01, 0x7d, 0x24, ...gasIdx]);
  const copyCall = Uint8Array.from([0x10, ...u32leb(copyFn)]);
  const fillCall = Uint8Array.from([0x10, ...u32leb(fillFn)]);
  // Function entries count too: native builtins spend their time in many small
  // calls (malloc, string and atom helpers) where the interpreter spends it in
  // its dispatch loop, so counting both keeps CPU per gas within a narrower band.
  out.bytes(check);
  stats.entries++;
  let copyFrom = r.pos;
  const flush = (to: number) => {
    if (to > copyFrom) out.bytes(body.subarray(copyFrom, to));
  };
  while (r.pos < body.length) {
    const at = r.pos;
    const op = r.byte();
    switch (op) {
      case 0x03: // loop bt
        r.sleb();
        flush(r.pos);
        out.bytes(check);
        copyFrom = r.pos;
        stats.loops++;
        break;
      case 0x02: // block
      case 0x04: // if
      case 0x06: // try
        r.sleb();
        break;
      case 0x0c:
      case 0x0d:
      case 0x10:
      case 0x12:
      case 0x08:
      case 0x07:
      case 0x09:
      case 0x18:
      case 0x20:
      case 0x21:
      case 0x22:
      case 0x23:
      case 0x24:
      case 0x25:
      case 0x26:
      case 0xd2:
        r.u32();
        break;
      case 0x0e: {
        const n = r.u32();
        for (let i = 0; i <= n; i++) r.u32();
        break;
      }
      case 0x11:
      case 0x13:
        r.u32();
        r.u32();
        break;
      case 0x1c: {
        const n = r.u32();
        r.skip(n);
        break;
      }
      case 0x3f:
      case 0x40:
        r.u32();
        break;
      case 0x41:
      case 0x42:
        r.sleb();
        break;
      case 0x43:
        r.skip(4);
        break;
      case 0x44:
        r.skip(8);
        break;
      case 0xd0:
        r.byte();
        break;
      case 0xfc: {
        const sub = r.u32();
        if (sub <= 7) break;
        if (sub === 8) {
          r.u32();
          r.u32();
        } else if (sub === 9 || sub === 13 || sub === 15 || sub === 16 || sub === 17) r.u32();
        else if (sub === 10 || sub === 12 || sub === 14) {
          const a = r.u32();
          const b = r.u32();
          if (sub === 10) {
            if (a !== 0 || b !== 0) throw new Error("wasm-meter: memory.copy between memories is not supported");
            flush(at);
            out.bytes(copyCall);
            copyFrom = r.pos;
            stats.bulkOps++;
          }
        } else if (sub === 11) {
          if (r.u32() !== 0) throw new Error("wasm-meter: memory.fill on another memory is not supported");
          flush(at);
          out.bytes(fillCall);
          copyFrom = r.pos;
          stats.bulkOps++;
        } else throw new Error(`wasm-meter: unknown opcode 0xfc ${sub}`);
        break;
      }
      case 0xfd: {
        const sub = r.u32();
        if (sub <= 11 || sub === 92 || sub === 93) memarg(r);
        else if (sub === 12 || sub === 13) r.skip(16);
        else if (sub >= 21 && sub <= 34) r.byte();
        else if (sub >= 84 && sub <= 91) {
          memarg(r);
          r.byte();
        }
        break;
      }
      case 0xfe: {
        const sub = r.u32();
        if (sub === 3) r.byte();
        else memarg(r);
        break;
      }
      default:
        if (op >= 0x28 && op <= 0x3e) memarg(r);
        else if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || op === 0x19 || op === 0xd1 || (op >= 0x45 && op <= 0xc4)) {
          /* no immediates */
        } else throw new Error(`wasm-meter: unknown opcode 0x${op.toString(16)} at ${at}`);
    }
  }
  flush(body.length);
}

/** Charging helper for memory.copy(dst, src, n) / memory.fill(dst, value, n): gas -= n/64 + 1, trapping (gas 0) if short. */
function bulkHelper(gas: number, fill: boolean): number[] {
  const g = u32leb(gas);
  const shift = Math.log2(BULK_BYTES_PER_GAS);
  // prettier-ignore
  const code = [
    0x01, 0x01, 0x7e, // one i64 local (index 3): the cost
    0x20, 0x02, 0x41, shift, 0x76, 0xad, 0x42, 0x01, 0x7c, 0x21, 0x03, // cost = u64(n >>> shift) + 1
    0x23, ...g, 0x20, 0x03, 0x58, 0x04, 0x40, 0x42, 0x00, 0x24, ...g, 0x00, 0x0b, // if (gas <= cost) { gas = 0; unreachable } (0 tells the sandbox it was the meter)
    0x23, ...g, 0x20, 0x03, 0x7d, 0x24, ...g, // gas -= cost
    0x20, 0x00, 0x20, 0x01, 0x20, 0x02, // the original operands
    ...(fill ? [0xfc, 0x0b, 0x00] : [0xfc, 0x0a, 0x00, 0x00]),
    0x0b,
  ];
  return [...u32leb(code.length), ...code];
}

export type MeterOptions = {
  /**
   * false: the same layout (gas global, helpers) without a single check, so nothing is counted.
   * Only for measuring what metering costs (bench/sandbox-profile.ts); never for audits.
   */
  count?: boolean;
};

/** Instrument a QuickJS emscripten binary; returns the new binary and what was rewritten. */
export function meterWasm(input: Uint8Array, options: MeterOptions = {}): { binary: Uint8Array; stats: MeterStats } {
  const count = options.count ?? true;
  if (input[0] !== 0 || input[1] !== 0x61 || input[2] !== 0x73 || input[3] !== 0x6d) throw new Error("wasm-meter: not a WebAssembly binary");
  const list = sections(input);
  const find = (id: number) => list.find((s) => s.id === id);
  const slice = (s: Section) => input.subarray(s.start, s.end);

  // Imports: count imported functions and globals (they come first in the index spaces).
  let importedFunctions = 0;
  let importedGlobals = 0;
  const imports = find(2);
  if (imports) {
    const r = new Reader(input, imports.start);
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      r.skip(r.u32());
      r.skip(r.u32());
      const kind = r.byte();
      if (kind === 0) {
        importedFunctions++;
        r.u32();
      } else if (kind === 1) {
        r.byte();
        const flags = r.byte();
        r.u32();
        if (flags & 1) r.u32();
      } else if (kind === 2) {
        const flags = r.byte();
        r.u32();
        if (flags & 1) r.u32();
      } else if (kind === 3) {
        importedGlobals++;
        r.byte();
        r.byte();
      } else if (kind === 4) {
        r.byte();
        r.u32();
      } else throw new Error(`wasm-meter: unknown import kind ${kind}`);
    }
  }

  // Types: append (i32, i32, i32) -> ().
  const typeSec = find(1)!;
  const tr = new Reader(input, typeSec.start);
  const typeCount = tr.u32();
  const typeBody = input.subarray(tr.pos, typeSec.end);
  const helperType = typeCount;
  const newTypes = append(append(u32leb(typeCount + 1), typeBody), [0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00]);

  // Functions: append the two helpers.
  const funcSec = find(3)!;
  const fr = new Reader(input, funcSec.start);
  const definedFunctions = fr.u32();
  const copyFn = importedFunctions + definedFunctions;
  const fillFn = copyFn + 1;
  const newFuncs = append(append(u32leb(definedFunctions + 2), input.subarray(fr.pos, funcSec.end)), [...u32leb(helperType), ...u32leb(helperType)]);

  // Globals: append the mutable i64 gas counter, initially "unlimited".
  const globalSec = find(6);
  let definedGlobals = 0;
  let globalBody: Uint8Array = new Uint8Array();
  if (globalSec) {
    const gr = new Reader(input, globalSec.start);
    definedGlobals = gr.u32();
    globalBody = input.subarray(gr.pos, globalSec.end);
  }
  const gas = importedGlobals + definedGlobals;
  // i64.const 2^62 (signed LEB128)
  const unlimited = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xc0, 0x00];
  const newGlobals = append(append(u32leb(definedGlobals + 1), globalBody), [0x7e, 0x01, 0x42, ...unlimited, 0x0b]);

  // Exports: the gas global.
  const exportSec = find(7)!;
  const er = new Reader(input, exportSec.start);
  const exportCount = er.u32();
  const newExports = append(append(u32leb(exportCount + 1), input.subarray(er.pos, exportSec.end)), [...nameBytes(GAS_EXPORT), 0x03, ...u32leb(gas)]);

  // Code: rewrite every body, append the helpers.
  const stats: MeterStats = { loops: 0, entries: 0, bulkOps: 0, functions: 0 };
  const codeSec = find(10)!;
  const cr = new Reader(input, codeSec.start);
  const bodies = cr.u32();
  const code = new Writer();
  code.bytes(u32leb(bodies + 2));
  const scratch = new Writer();
  for (let i = 0; i < bodies; i++) {
    const size = cr.u32();
    const body = input.subarray(cr.pos, cr.pos + size);
    cr.skip(size);
    scratch.len = 0;
    rewriteBody(body, gas, copyFn, fillFn, stats, scratch, count);
    code.bytes(u32leb(scratch.len));
    code.bytes(scratch.view());
    stats.functions++;
  }
  code.bytes(bulkHelper(gas, false));
  code.bytes(bulkHelper(gas, true));
  const newCode = code.view();

  const out = new Writer();
  out.bytes(input.subarray(0, 8));
  const put = (id: number, content: ArrayLike<number>) => {
    out.bytes([id, ...u32leb(content.length)]);
    out.bytes(content);
  };
  let globalsWritten = false;
  for (const s of list) {
    // The global section sits between memory/tag (5, 13) and export (7); create it if absent.
    if (!globalsWritten && !globalSec && (s.id === 7 || s.id === 8 || s.id === 9 || s.id === 12 || s.id === 10)) {
      put(6, newGlobals);
      globalsWritten = true;
    }
    if (s.id === 1) put(1, newTypes);
    else if (s.id === 3) put(3, newFuncs);
    else if (s.id === 6) {
      put(6, newGlobals);
      globalsWritten = true;
    } else if (s.id === 7) put(7, newExports);
    else if (s.id === 10) put(10, newCode);
    else if (s.id === 0) continue; // names and other custom sections would refer to the old layout
    else put(s.id, slice(s));
  }
  return { binary: out.view().slice(), stats };
}
