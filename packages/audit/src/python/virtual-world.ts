// The clock and entropy the interpreter sees while a step runs. Emscripten's C
// library reads the wall clock through Date.now() / performance.now() and
// entropy through node:crypto's randomFillSync at call time, so replacing those
// for the duration of a call makes time.time(), datetime.now(), time.monotonic(),
// os.urandom(), uuid.uuid4(), secrets and an unseeded random.Random() all
// deterministic. They are restored as soon as the call returns: the rest of the
// process keeps the real ones.
import { VIRTUAL_CLOCK } from "../sandbox/limits";
import type { Prng } from "../sandbox/prng";

export type VirtualWorld = {
  /** Virtual epoch milliseconds. */
  nowMs(): number;
  /** Seeded bytes for os.urandom and friends. */
  entropy: Prng;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function withVirtualWorld<T>(world: VirtualWorld, call: () => T): T {
  const realDateNow = Date.now;
  const perf = performance as Mutable<typeof performance>;
  const hadOwnNow = Object.prototype.hasOwnProperty.call(perf, "now");
  const realPerfNow = perf.now;
  // Why require: the module object itself (an ES namespace import would be a frozen copy).
  const cryptoModule = require("node:crypto") as Mutable<typeof import("node:crypto")>;
  const realFill = cryptoModule.randomFillSync;
  Date.now = () => world.nowMs();
  // Monotonic time: milliseconds since the virtual epoch.
  perf.now = () => world.nowMs() - VIRTUAL_CLOCK.epochMs;
  cryptoModule.randomFillSync = (<V extends NodeJS.ArrayBufferView>(view: V): V => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(world.entropy() * 256);
    return view;
  }) as typeof cryptoModule.randomFillSync;
  try {
    return call();
  } finally {
    Date.now = realDateNow;
    if (hadOwnNow) perf.now = realPerfNow;
    else delete (perf as Partial<Mutable<typeof performance>>).now;
    cryptoModule.randomFillSync = realFill;
  }
}
