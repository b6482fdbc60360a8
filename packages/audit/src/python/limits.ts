// Constants of the Pyodide engine (docs/decisions/0015-python-runtimes.md).
import { HOST_CALL_COST } from "../sandbox/limits";

/** The npm package version is pinned exactly in package.json: it is part of the engine identity. */
export const PYODIDE_VERSION = "314.0.7";
export const CPYTHON_VERSION = "3.14.2";
/** Bump whenever a change could alter a Python transcript for the same artifact + suite + seed. */
export const PYTHON_ENGINE_VERSION = "1.0.0";

/** The engine a report names for Python runtimes (SPEC §4: the report states the engine). */
export const PYTHON_ENGINE = Object.freeze({
  name: "pyodide",
  version: `${PYODIDE_VERSION}+cpython-${CPYTHON_VERSION}+assay-py-${PYTHON_ENGINE_VERSION}`,
});

/**
 * sys.monitoring events (Python function starts/resumes and jumps — one per
 * loop iteration) per budget unit. Calibrated so that a unit costs about what
 * a QuickJS unit costs (0.2–1 ms of CPU, docs/decisions/0014): an event of the
 * reference runtime cost ~1 µs idle and ~5 µs at load average 12 on 2 cores,
 * and the reference's core audit then stays near the JavaScript reference's
 * ~14 000 units (host-call charges are the same units in both languages).
 */
export const EVENTS_PER_UNIT = 500;

/** Host-call charges in events: HOST_CALL_COST (thousandths of a unit) scaled to events. */
export const PYTHON_HOST_COST = Object.freeze({
  complete: (HOST_CALL_COST.complete * EVENTS_PER_UNIT) / 1000,
  embed: (HOST_CALL_COST.embed * EVENTS_PER_UNIT) / 1000,
  publish: (HOST_CALL_COST.publish * EVENTS_PER_UNIT) / 1000,
  log: (HOST_CALL_COST.log * EVENTS_PER_UNIT) / 1000,
  now: Math.max(1, (HOST_CALL_COST.now * EVENTS_PER_UNIT) / 1000),
  random: Math.max(1, (HOST_CALL_COST.random * EVENTS_PER_UNIT) / 1000),
  /** HOST_CALL_COST.perChar is 1/1000 unit per character = 1 event per 10 characters. */
  charsPerEvent: 1000 / (HOST_CALL_COST.perChar * EVENTS_PER_UNIT),
});

/**
 * Modules a runtime may not import (RUNTIME_FORBIDDEN_API): the network, other
 * processes, native code, and the JavaScript side (Pyodide's FFI and package
 * manager). A name forbids its submodules too.
 */
export const FORBIDDEN_MODULES = [
  "socket",
  "_socket",
  "select",
  "selectors",
  "ssl",
  "_ssl",
  "subprocess",
  "_posixsubprocess",
  "multiprocessing",
  "ctypes",
  "_ctypes",
  "urllib.request",
  "urllib.robotparser",
  "http.client",
  "http.server",
  "ftplib",
  "smtplib",
  "imaplib",
  "poplib",
  "xmlrpc",
  "webbrowser",
  "js",
  "pyodide",
  "pyodide_js",
  "_pyodide",
  "_pyodide_core",
  "micropip",
  "pyodide_http",
] as const;

/** Recursion limit inside the sandbox, and the ceiling above which sys.setrecursionlimit is forbidden. */
export const RECURSION_LIMIT = 1_000;
export const RECURSION_CEILING = 2_000;

/** Where the artifact's files live in the interpreter's in-memory file system. */
export const ARTIFACT_ROOT = "/assay/runtime";
