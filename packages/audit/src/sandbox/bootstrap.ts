// The code that prepares a fresh QuickJS context before the runtime's module
// runs. It is evaluated as a global script that yields one function; the
// sandbox calls it with the native bridge and gets back the entry points it
// drives (start, step, integrity). Nothing is left on globalThis but the
// deterministic Math.random / Date and the trap getters for forbidden globals.
//
// Why everything is captured up front: after `start`, the runtime's code runs in
// the same realm and may replace any builtin (JSON.stringify, Promise.prototype
// .then, Reflect.apply, ...). The bridge only ever calls the captured originals,
// so tampering can change what the runtime itself sees, never what crosses the
// boundary. Values cross as JSON strings only (even plain strings: raw C strings
// would cut at NUL and mangle lone surrogates); the runtime never holds a native
// function or a Node object.

/** Globals whose mere touch is recorded as RUNTIME_FORBIDDEN_API (Node/browser ways out). */
export const FORBIDDEN_GLOBALS = [
  "require",
  "process",
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "EventSource",
  "Buffer",
  "importScripts",
  "Deno",
  "Bun",
] as const;

/**
 * Built-in objects whose own properties and prototype are snapshotted after the
 * bootstrap and re-checked after every step: any change is prototype pollution
 * (RUNTIME_FORBIDDEN_API).
 */
export const WATCHED_INTRINSICS = [
  "Object.prototype",
  "Array.prototype",
  "Function.prototype",
  "String.prototype",
  "Number.prototype",
  "Boolean.prototype",
  "Symbol.prototype",
  "Promise.prototype",
  "Error.prototype",
  "RegExp.prototype",
  "Map.prototype",
  "Set.prototype",
  "Date.prototype",
  "Object",
  "Array",
  "JSON",
  "Promise",
  "Reflect",
] as const;

export const BOOTSTRAP_SOURCE = String.raw`(function assayBootstrap(native, mathSeed, forbiddenNames, watchedNames) {
  "use strict";
  const G = globalThis;
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const freeze = Object.freeze;
  const isFrozen = Object.isFrozen;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const setPrototypeOf = Object.setPrototypeOf;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const isExtensible = Object.isExtensible;
  const ownKeys = Reflect.ownKeys;
  const apply = Reflect.apply;
  const reflectDefine = Reflect.defineProperty;
  const reflectDelete = Reflect.deleteProperty;
  const reflectSetProto = Reflect.setPrototypeOf;
  const ProxyCtor = Proxy;
  const TypeErrorCtor = TypeError;
  const StringCtor = String;
  const isArray = Array.isArray;
  const imul = Math.imul;
  const floor = Math.floor;
  const promiseResolve = Promise.resolve.bind(Promise);
  const promiseThen = Promise.prototype.then;
  const RealDate = Date;
  const DateProto = RealDate.prototype;
  const dateUTC = RealDate.UTC;
  const dateParse = RealDate.parse;
  const dateGetTime = DateProto.getTime;
  const regexpTest = RegExp.prototype.test;
  const nNow = native.now, nRandom = native.random, nComplete = native.complete, nEmbed = native.embed;
  const nPublish = native.publish, nLog = native.log, nForbid = native.forbid, nInvalid = native.invalid;

  // ---- deterministic Math.random (mulberry32, seeded per scenario run) ----
  let mathState = mathSeed >>> 0;
  const random = function random() {
    mathState = (mathState + 0x6d2b79f5) | 0;
    let t = imul(mathState ^ (mathState >>> 15), 1 | mathState);
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  defineProperty(Math, "random", { value: random, writable: true, configurable: true, enumerable: false });

  // ---- Date on the virtual clock, local time = UTC on every machine ----
  const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;
  const asUtc = (value) => (typeof value === "string" && apply(regexpTest, ISO_LOCAL, [value]) ? value + "Z" : value);
  const VirtualDate = function Date(...args) {
    if (new.target === undefined) return apply(DateProto.toString, new RealDate(nNow()), []);
    let d;
    if (args.length === 0) d = new RealDate(nNow());
    else if (args.length === 1) d = new RealDate(asUtc(args[0]));
    else d = new RealDate(apply(dateUTC, undefined, args));
    if (new.target !== VirtualDate) setPrototypeOf(d, new.target.prototype);
    return d;
  };
  defineProperty(VirtualDate, "prototype", { value: DateProto, writable: false, enumerable: false, configurable: false });
  defineProperty(DateProto, "constructor", { value: VirtualDate, writable: true, enumerable: false, configurable: true });
  const staticMethod = (name, fn) => defineProperty(VirtualDate, name, { value: fn, writable: true, enumerable: false, configurable: true });
  staticMethod("now", function now() { return nNow(); });
  staticMethod("UTC", dateUTC);
  staticMethod("parse", function parse(text) { return dateParse(asUtc(StringCtor(text))); });
  const protoMethod = (name, fn) => defineProperty(DateProto, name, { value: fn, writable: true, enumerable: false, configurable: true });
  for (const part of ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"]) {
    protoMethod("get" + part, DateProto["getUTC" + part]);
    if (part !== "Day") protoMethod("set" + part, DateProto["setUTC" + part]);
  }
  const valid = (d) => apply(dateGetTime, d, []) === apply(dateGetTime, d, []);
  protoMethod("getTimezoneOffset", function getTimezoneOffset() { return valid(this) ? 0 : NaN; });
  const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n, w) => { let s = StringCtor(n); while (s.length < w) s = "0" + s; return s; };
  const parts = (d) => ({
    y: apply(DateProto.getUTCFullYear, d, []), mo: apply(DateProto.getUTCMonth, d, []), da: apply(DateProto.getUTCDate, d, []),
    wd: apply(DateProto.getUTCDay, d, []), h: apply(DateProto.getUTCHours, d, []), mi: apply(DateProto.getUTCMinutes, d, []),
    s: apply(DateProto.getUTCSeconds, d, []),
  });
  const datePart = (p) => DAYS[p.wd] + " " + MONTHS[p.mo] + " " + pad(p.da, 2) + " " + (p.y < 0 ? "-" + pad(-p.y, 6) : pad(p.y, 4));
  const timePart = (p) => pad(p.h, 2) + ":" + pad(p.mi, 2) + ":" + pad(p.s, 2) + " GMT+0000";
  protoMethod("toString", function toString() { if (!valid(this)) return "Invalid Date"; const p = parts(this); return datePart(p) + " " + timePart(p); });
  protoMethod("toDateString", function toDateString() { return valid(this) ? datePart(parts(this)) : "Invalid Date"; });
  protoMethod("toTimeString", function toTimeString() { return valid(this) ? timePart(parts(this)) : "Invalid Date"; });
  const localeDate = (p) => (p.mo + 1) + "/" + p.da + "/" + p.y;
  const localeTime = (p) => ((p.h % 12) || 12) + ":" + pad(p.mi, 2) + ":" + pad(p.s, 2) + (p.h < 12 ? " AM" : " PM");
  protoMethod("toLocaleString", function toLocaleString() { if (!valid(this)) return "Invalid Date"; const p = parts(this); return localeDate(p) + ", " + localeTime(p); });
  protoMethod("toLocaleDateString", function toLocaleDateString() { return valid(this) ? localeDate(parts(this)) : "Invalid Date"; });
  protoMethod("toLocaleTimeString", function toLocaleTimeString() { return valid(this) ? localeTime(parts(this)) : "Invalid Date"; });
  defineProperty(G, "Date", { value: VirtualDate, writable: true, enumerable: false, configurable: true });

  // ---- trap getters: touching a way out is recorded, then throws ----
  for (let i = 0; i < forbiddenNames.length; i++) {
    const name = forbiddenNames[i];
    const trap = () => { nForbid("global " + name); throw new TypeErrorCtor(name + " is not available in the Assay sandbox"); };
    defineProperty(G, name, { get: trap, set: trap, enumerable: false, configurable: false });
  }

  // ---- the host object (SPEC §3): frozen, behind tamper-recording proxies ----
  const tamperHandler = (path) => freeze({
    __proto__: null,
    set(target, key) { nForbid("host tampering: set " + path + "." + StringCtor(key)); return false; },
    defineProperty(target, key, desc) { const ok = reflectDefine(target, key, desc); if (!ok) nForbid("host tampering: defineProperty " + path + "." + StringCtor(key)); return ok; },
    deleteProperty(target, key) { const ok = reflectDelete(target, key); if (!ok) nForbid("host tampering: delete " + path + "." + StringCtor(key)); return ok; },
    setPrototypeOf(target, proto) { const ok = reflectSetProto(target, proto); if (!ok) nForbid("host tampering: setPrototypeOf " + path); return ok; },
  });
  const harden = (value, path) => {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return value;
    const keys = ownKeys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const desc = getOwnPropertyDescriptor(value, key);
      if (desc && "value" in desc && desc.value !== null && (typeof desc.value === "object" || typeof desc.value === "function")) {
        defineProperty(value, key, { value: harden(desc.value, path + "." + StringCtor(key)) });
      }
    }
    freeze(value);
    return new ProxyCtor(value, tamperHandler(path));
  };
  const serializeArg = (value) => {
    if (typeof value === "string") return value;
    try { const text = jsonStringify(value); return text === undefined ? StringCtor(value) : text; } catch (e) { try { return StringCtor(value); } catch (e2) { return "[unprintable]"; } }
  };
  const makeHost = (manifestJson) => harden({
    manifest: jsonParse(manifestJson),
    model: {
      complete(request) {
        let body;
        try { body = jsonStringify(request === undefined ? null : request); } catch (e) { throw new TypeErrorCtor("host.model.complete: request is not JSON-serialisable"); }
        const envelope = jsonParse(nComplete(body === undefined ? "null" : body));
        if (envelope.fault !== undefined) throw { code: envelope.fault };
        if (envelope.invalid !== undefined) throw new TypeErrorCtor("host.model.complete: " + envelope.invalid);
        return envelope.value;
      },
    },
    embed(text) { return jsonParse(nEmbed(jsonStringify(StringCtor(text)))); },
    sync: {
      publish(packet) {
        let body;
        try { body = jsonStringify(packet); } catch (e) { body = undefined; }
        nPublish(body === undefined ? "null" : body);
      },
    },
    clock: { now() { return nNow(); } },
    random() { return nRandom(); },
    log(...args) {
      let line = "";
      for (let i = 0; i < args.length; i++) line += (i ? " " : "") + serializeArg(args[i]);
      nLog(jsonStringify(line));
    },
  }, "host");

  // ---- prototype-pollution watch ----
  const resolvePath = (name) => { const segs = name.split("."); let v = G; for (let i = 0; i < segs.length; i++) v = v[segs[i]]; return v; };
  const snapshot = [];
  for (let i = 0; i < watchedNames.length; i++) {
    const name = watchedNames[i];
    const target = resolvePath(name);
    const keys = ownKeys(target);
    const props = [];
    for (let k = 0; k < keys.length; k++) {
      const d = getOwnPropertyDescriptor(target, keys[k]);
      props.push([keys[k], d.value, d.get, d.set]);
    }
    snapshot.push({ name, target, proto: getPrototypeOf(target), extensible: isExtensible(target), props, count: keys.length });
  }
  const keyName = (key) => (typeof key === "symbol" ? "[" + StringCtor(key.description) + "]" : key);
  const integrity = () => {
    for (let i = 0; i < snapshot.length; i++) {
      const s = snapshot[i];
      if (getPrototypeOf(s.target) !== s.proto) return s.name + ".[[Prototype]] replaced";
      const keys = ownKeys(s.target);
      if (keys.length !== s.count) {
        for (let k = 0; k < keys.length; k++) {
          let known = false;
          for (let j = 0; j < s.props.length; j++) if (s.props[j][0] === keys[k]) { known = true; break; }
          if (!known) return s.name + "." + keyName(keys[k]) + " added";
        }
        return s.name + " lost a property";
      }
      for (let j = 0; j < s.props.length; j++) {
        const p = s.props[j];
        const d = getOwnPropertyDescriptor(s.target, p[0]);
        if (!d || d.value !== p[1] || d.get !== p[2] || d.set !== p[3]) return s.name + "." + keyName(p[0]) + " modified";
      }
    }
    return "";
  };

  // ---- entry points driven by the sandbox ----
  let runtime = null;
  const serializeResult = (value) => {
    let text;
    try { text = jsonStringify(value); } catch (e) { nInvalid("step result is not JSON-serialisable: " + serializeArg(e && e.message)); return "null"; }
    if (text === undefined) { nInvalid("step returned " + (value === undefined ? "undefined" : typeof value)); return "null"; }
    return text;
  };
  const isThenable = (v) => v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function";
  const install = (created) => {
    if (created === null || (typeof created !== "object" && typeof created !== "function") || typeof created.step !== "function") {
      throw new TypeErrorCtor("createRuntime(host) must return an object with a step(turn) method");
    }
    runtime = created;
    return "ok";
  };
  const start = (namespace, manifestJson) => {
    if (namespace === null || typeof namespace !== "object" || typeof namespace.createRuntime !== "function") {
      throw new TypeErrorCtor("the entry module does not export createRuntime(host)");
    }
    const created = namespace.createRuntime(makeHost(manifestJson));
    if (isThenable(created)) return apply(promiseThen, promiseResolve(created), [install]);
    return install(created);
  };
  const step = (turnJson) => {
    const turn = jsonParse(turnJson);
    const out = apply(runtime.step, runtime, [turn]);
    if (isThenable(out)) return apply(promiseThen, promiseResolve(out), [serializeResult]);
    return serializeResult(out);
  };
  return freeze({ __proto__: null, start, step, integrity });
})`;
