// The Python runtime's memory cap: a ceiling on the growth of Pyodide's
// WebAssembly memory. Emscripten grows the heap with `memory.grow()` inside a
// try/catch and treats a throw as "out of memory", so refusing the growth makes
// malloc fail and CPython raise MemoryError — a clean, catchable fault
// (RUNTIME_MEMORY), instead of a heap that grows to 2 GiB.
export type MemoryCap = { currentBytes(): number; release(): void };

// Why by hand: the package compiles without the DOM library, which types WebAssembly.Memory.
type WasmMemory = { readonly buffer: ArrayBufferLike; grow(delta: number): number };
const WasmMemoryClass = (globalThis as unknown as { WebAssembly: { Memory: { prototype: WasmMemory } } }).WebAssembly.Memory;

type Guarded = { buffer: () => ArrayBufferLike; limitBytes: number };

const guarded = new Set<Guarded>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const realGrow = WasmMemoryClass.prototype.grow;
  WasmMemoryClass.prototype.grow = function grow(this: WasmMemory, delta: number): number {
    for (const entry of guarded) {
      if (entry.buffer() === this.buffer && this.buffer.byteLength + delta * 65_536 > entry.limitBytes) {
        throw new RangeError(`WebAssembly memory cap of ${entry.limitBytes} bytes reached`);
      }
    }
    return realGrow.call(this, delta);
  };
}

/** Cap the memory whose current buffer `buffer()` returns at its present size + `extraBytes`. */
export function guardMemoryGrowth(buffer: () => ArrayBufferLike, extraBytes: number): MemoryCap {
  install();
  const entry: Guarded = { buffer, limitBytes: buffer().byteLength + extraBytes };
  guarded.add(entry);
  return {
    currentBytes: () => buffer().byteLength,
    release: () => void guarded.delete(entry),
  };
}
