# The Assay harness: the Python half of the Pyodide sandbox (docs/decisions/0015).
#
# It runs once per interpreter, before any runtime code, and gives the Node side
# four entry points (setup, start_run, step, end_run). Everything that crosses
# to Node is a str (JSON); the runtime never receives a JS object.
#
# What it does, and why here rather than in Node:
# - counts executed work deterministically with sys.monitoring (one event per
#   Python function start/resume and per jump, i.e. per loop iteration) plus a
#   fixed charge per host call, and stops a step that exceeds its budget;
# - records forbidden API use (imports of socket/subprocess/ctypes/urllib/js/
#   pyodide..., file access outside the artifact) through an import guard and
#   an audit hook (audit hooks cannot be removed once added);
# - makes time.sleep virtual, seeds `random` per run, and routes print() to
#   host.log (the clock and os.urandom are virtualised on the Node side, under
#   the C library, so datetime/uuid/secrets follow them too);
# - resets interpreter state between scenario runs: the runtime's modules are
#   dropped and re-imported, modules it loaded are forgotten, and every module
#   that existed at setup gets its namespace back.
#
# Python-level restrictions are detection, not the security boundary: Python
# code can always reach any object of its interpreter. The boundary is the
# WebAssembly heap plus the hardened JS realm and child process around it.
import builtins
import gc
import importlib
import json
import os
import random
import sys
import time

_TOOL = 3
_E = sys.monitoring.events
_EVENTS = _E.PY_START | _E.PY_RESUME | _E.JUMP
_DISABLE = sys.monitoring.DISABLE
# Code the meter does not count: the standard library (from files or frozen) and
# this harness. Why: its caches (re, functools.lru_cache, typing, logging's
# registry...) survive between the runs of one audit, so counting it would make
# a run's budget depend on the runs before it, and a replay would differ from
# its original. Each location is disabled once, after which it costs nothing.
# A runtime that names its own code like the standard library escapes the
# deterministic meter and is stopped by the wall-clock kill instead.
_UNMETERED = ("/lib/python", "<frozen ", "/assay/harness/")

_real_import = builtins.__import__
_real_setrecursionlimit = sys.setrecursionlimit
_real_import_module = importlib.import_module
_dumps = json.dumps
_loads = json.loads

# ----------------------------------------------------------------- state ----
_host_call = None
_config = None
_root = "/assay/runtime"
_allowed_read_prefixes = ()
_events = 0          # work done in the current step (events + host charges)
_limit = 0           # events at which the step stops
_limit_message = ""
_stopping = False    # once set, every further event raises _Stop
_fault = None        # (kind, message) recorded during the step
_runtime = None      # the object create_runtime returned
_started = False
_armed = False
_baseline = {}       # module name -> dict snapshot, taken at setup
_baseline_lists = {}


class _Stop(BaseException):
    """Raised into runtime code to stop a step (budget, forbidden access)."""


class ModelError(Exception):
    """host.model.complete failed with a scripted provider fault; .code says which."""

    def __init__(self, code):
        super().__init__(f"model error: {code}")
        self.code = code


# --------------------------------------------------------------- metering ---
def _tick():
    global _events, _stopping
    _events += 1
    if _events > _limit and not _stopping:
        _stopping = True
        _record("timeout", _limit_message)
    if _stopping:
        raise _Stop()


def _on_start(code, offset):
    global _events
    if code.co_filename.startswith(_UNMETERED):
        return _DISABLE
    _events += 1
    if _stopping or _events > _limit:
        _tick()


def _on_jump(code, offset, destination):
    global _events
    if code.co_filename.startswith(_UNMETERED):
        return _DISABLE
    _events += 1
    if _stopping or _events > _limit:
        _tick()


def _charge(events):
    """Charge a host call (fixed cost + size); raise _Stop if it crosses the budget."""
    global _events
    _events += events
    if _stopping or _events > _limit:
        _events -= 1
        _tick()


def _record(kind, message):
    global _fault, _stopping
    if _fault is None:
        _fault = (kind, message)
    # Like the JS sandbox: the first touch stops the step, a try/except around it does not save it.
    _stopping = True


def _forbid(what):
    _record("forbidden_api", f"forbidden access: {what}")


# ------------------------------------------------------ forbidden surfaces ---
def _is_forbidden(name):
    if not isinstance(name, str):
        return False
    return any(name == f or name.startswith(f + ".") for f in _config["forbiddenModules"])


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if _armed and level == 0 and _is_forbidden(name):
        _forbid(f'import of module "{name}"')
        raise ImportError(f'module "{name}" is not available in the Assay sandbox')
    return _real_import(name, globals, locals, fromlist, level)


def _guarded_import_module(name, package=None):
    if _armed and _is_forbidden(name):
        _forbid(f'import of module "{name}"')
        raise ImportError(f'module "{name}" is not available in the Assay sandbox')
    return _real_import_module(name, package)


class _ForbiddenFinder:
    """Refuses to load forbidden modules, however the import was spelled."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if _armed and _is_forbidden(name):
            _forbid(f'import of module "{name}"')
            raise ImportError(f'module "{name}" is not available in the Assay sandbox')
        return None


_AUDIT_FORBIDDEN_PREFIXES = ("socket.", "subprocess.", "ctypes.", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "urllib.", "http.client.")
_AUDIT_FORBIDDEN = {"os.system", "os.kill", "os.killpg", "pty.spawn", "webbrowser.open", "shutil.rmtree"}


def _audit(event, args):
    if not _armed:
        return
    if event == "open":
        path = args[0] if args else None
        mode = args[1] if len(args) > 1 else "r"
        if isinstance(path, int):
            return
        path = os.path.abspath(os.fsdecode(path)) if path is not None else ""
        writing = isinstance(mode, str) and any(c in mode for c in "wax+")
        if isinstance(mode, int):
            writing = (mode & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC)) != 0
        inside = path == _root or path.startswith(_root + "/")
        readable = inside or any(path == p or path.startswith(p + "/") for p in _allowed_read_prefixes)
        if writing or not readable:
            _forbid(f"file access outside the artifact: {path[:200]}")
            raise PermissionError(f"{path[:200]}: not available in the Assay sandbox")
        return
    if event in _AUDIT_FORBIDDEN or event.startswith(_AUDIT_FORBIDDEN_PREFIXES):
        _forbid(f"{event}")
        raise PermissionError(f"{event} is not available in the Assay sandbox")


def _guarded_setrecursionlimit(limit):
    ceiling = _config["recursionCeiling"]
    if isinstance(limit, int) and limit > ceiling:
        _forbid(f"sys.setrecursionlimit({limit}) above the sandbox's ceiling of {ceiling}")
        raise _Stop()
    return _real_setrecursionlimit(limit)


def _virtual_sleep(seconds):
    if not isinstance(seconds, (int, float)) or seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _charge(_config["cost"]["now"])
    _host_call("sleep", _dumps(int(seconds * 1000)))


# ------------------------------------------------------------ host object ---
class _LogStream:
    """sys.stdout / sys.stderr of the runtime: lines go to host.log."""

    def __init__(self):
        self._buffer = ""

    def write(self, text):
        text = str(text)
        self._buffer += text
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            _log_line(line)
        if len(self._buffer) > 2000:
            _log_line(self._buffer)
            self._buffer = ""
        return len(text)

    def flush(self):
        if self._buffer:
            _log_line(self._buffer)
            self._buffer = ""

    def isatty(self):
        return False


def _log_line(line):
    cost = _config["cost"]
    _charge(cost["log"] + len(line) // cost["charsPerEvent"])
    _envelope("log", _dumps(line))


def _envelope(name, body):
    reply = _loads(_host_call(name, body))
    if "stop" in reply:
        _record(reply["stop"]["kind"], reply["stop"]["message"])
        raise _Stop()
    return reply


class _Model:
    __slots__ = ()

    def complete(self, request):
        try:
            body = _dumps(request, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise TypeError(f"host.model.complete: request is not JSON-serialisable ({error})") from None
        cost = _config["cost"]
        _charge(cost["complete"] + len(body) // cost["charsPerEvent"])
        reply = _envelope("complete", body)
        if "fault" in reply:
            raise ModelError(reply["fault"])
        if "invalid" in reply:
            raise TypeError(f"host.model.complete: {reply['invalid']}")
        return reply["value"]


class _Clock:
    __slots__ = ()

    def now(self):
        _charge(_config["cost"]["now"])
        return _envelope("now", "null")["value"]


class _Sync:
    __slots__ = ()

    def publish(self, packet):
        try:
            body = _dumps(packet, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise TypeError(f"host.sync.publish: packet is not JSON-serialisable ({error})") from None
        cost = _config["cost"]
        _charge(cost["publish"] + len(body) // cost["charsPerEvent"])
        _envelope("publish", body)


class Host:
    """What a runtime gets (docs/runtime-interface.md): the same names as the JS Host."""

    ModelError = ModelError

    def __init__(self, manifest):
        self.manifest = manifest
        self.model = _Model()
        self.clock = _Clock()
        self.sync = _Sync()

    def embed(self, text):
        if not isinstance(text, str):
            raise TypeError("host.embed: text must be a str")
        cost = _config["cost"]
        _charge(cost["embed"] + len(text) // cost["charsPerEvent"])
        return _envelope("embed", _dumps(text))["value"]

    def random(self):
        _charge(_config["cost"]["random"])
        return _envelope("random", "null")["value"]

    def log(self, *args):
        _log_line(" ".join(a if isinstance(a, str) else repr(a) for a in args))


# ------------------------------------------------------------ entry points ---
def setup(host_call, config_json):
    """Once per interpreter: the artifact's files, the guards, the baseline snapshot."""
    global _host_call, _config, _root, _allowed_read_prefixes
    _host_call = host_call
    _config = _loads(config_json)
    _root = _config["root"]
    _allowed_read_prefixes = tuple(p for p in sys.path if p and p.startswith("/lib"))
    for path, source in _config["files"].items():
        full = f"{_root}/{path}"
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as handle:
            handle.write(source)
    sys.dont_write_bytecode = True
    # Relative paths resolve inside the artifact.
    os.chdir(_root)
    # The runtime's JS way out (and pyodide's own package manager) are not importable.
    for name in list(sys.modules):
        if _is_forbidden(name):
            del sys.modules[name]
    sys.path.insert(0, _root)
    sys.meta_path.insert(0, _ForbiddenFinder)
    builtins.__import__ = _guarded_import
    importlib.import_module = _guarded_import_module
    sys.setrecursionlimit = _guarded_setrecursionlimit
    _real_setrecursionlimit(_config["recursionLimit"])
    time.sleep = _virtual_sleep
    sys.stdout = _LogStream()
    sys.stderr = _LogStream()
    # A module the runtime can import to name the fault it catches: `from assay_runtime import ModelError`.
    api = type(sys)("assay_runtime")
    api.ModelError = ModelError
    api.Host = Host
    sys.modules["assay_runtime"] = api
    sys.monitoring.use_tool_id(_TOOL, "assay")
    sys.monitoring.register_callback(_TOOL, _E.PY_START, _on_start)
    sys.monitoring.register_callback(_TOOL, _E.PY_RESUME, _on_start)
    sys.monitoring.register_callback(_TOOL, _E.JUMP, _on_jump)
    sys.addaudithook(_audit)
    gc.collect()
    _snapshot()


def _snapshot():
    _baseline.clear()
    for name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None)
        if isinstance(namespace, dict) and name != __name__:
            _baseline[name] = (module, dict(namespace))
    _baseline_lists["path"] = list(sys.path)
    _baseline_lists["meta_path"] = list(sys.meta_path)
    _baseline_lists["path_hooks"] = list(sys.path_hooks)


def _restore():
    for name in list(sys.modules):
        if name not in _baseline:
            del sys.modules[name]
    for name, (module, saved) in _baseline.items():
        sys.modules[name] = module
        namespace = module.__dict__
        # Identity only: == would call __eq__ of whatever the runtime stored there.
        if len(namespace) == len(saved) and all(namespace.get(k, _restore) is v for k, v in saved.items()):
            continue
        for key in [k for k in namespace if k not in saved]:
            del namespace[key]
        for key, value in saved.items():
            if namespace.get(key, _restore) is not value:
                namespace[key] = value
    sys.path[:] = _baseline_lists["path"]
    sys.meta_path[:] = _baseline_lists["meta_path"]
    sys.path_hooks[:] = _baseline_lists["path_hooks"]
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()


def start_run(manifest_json, seed):
    """A fresh run: seeded `random`, no runtime yet (the first step imports the entry)."""
    global _runtime, _started, _fault, _stopping
    _runtime = None
    _started = False
    _fault = None
    _stopping = False
    _config["manifest"] = manifest_json
    random.seed(seed)


def end_run():
    global _runtime
    _runtime = None
    _restore()
    gc.collect()


def _entry_module():
    entry = _config["entry"]
    return entry[:-3].replace("/", ".") if entry.endswith(".py") else entry


def _start():
    global _runtime
    module = _real_import_module(_entry_module())
    create = getattr(module, "create_runtime", None)
    if not callable(create):
        raise _Crash(f"{_config['entry']} does not define create_runtime(host)")
    runtime = create(Host(_loads(_config["manifest"])))
    if not callable(getattr(runtime, "step", None)):
        raise _Crash("create_runtime(host) must return an object with a step(turn) method")
    _runtime = runtime


class _Crash(Exception):
    pass


def _drive(value):
    """A coroutine step (async def step) runs to completion; it cannot await real I/O here."""
    if hasattr(value, "send") and hasattr(value, "throw") and type(value).__name__ == "coroutine":
        try:
            while True:
                value.send(None)
        except StopIteration as done:
            return done.value
    return value


def _run_armed(turn_json):
    """The runtime's part of a step, metered. Returns (result, exception)."""
    global _armed, _started
    # Inline, not in helper functions: once a step is stopping, every Python call
    # raises _Stop, and the harness's own cleanup must not be one.
    _armed = True
    sys.monitoring.set_events(_TOOL, _EVENTS)
    try:
        if not _started:
            _started = True
            _start()
        return _drive(_runtime.step(_loads(turn_json))), None
    except BaseException as error:
        return None, error
    finally:
        sys.monitoring.set_events(_TOOL, 0)
        _armed = False


def step(turn_json, limit, limit_message):
    """One turn. Returns a JSON envelope: {"events", "result"} or {"events", "fault"}."""
    global _events, _limit, _limit_message, _stopping, _fault
    _events = 0
    _limit = limit
    _limit_message = limit_message
    _stopping = False
    _fault = None
    result, error = _run_armed(turn_json)
    text = None
    failure = None
    if error is not None:
        failure = _classify(error)
    elif not isinstance(result, dict):
        failure = ("invalid_result", f"step must return a dict {{'reply', 'packet'}}, got {type(result).__name__}")
    elif not isinstance(result.get("reply"), str):
        failure = ("invalid_result", "step result has no str reply")
    else:
        # Why unmetered: the result is the runtime's answer; its size is bounded by the output cap below.
        try:
            text = _dumps(result, allow_nan=False, ensure_ascii=False)
        except (TypeError, ValueError, RecursionError) as problem:
            failure = ("invalid_result", f"step result could not be serialised: {_describe(problem)}")
    tampered = _tampering()
    fault = _fault or (("forbidden_api", tampered) if tampered else None) or failure
    if fault is None and len(text) > _config["outputBytes"]:
        fault = ("output_limit", f"step output exceeded {_config['outputBytes']} bytes (at step result)")
    envelope = {"events": _events}
    if fault is not None:
        envelope["fault"] = {"kind": fault[0], "message": fault[1][:500]}
    else:
        envelope["result"] = text
    return _dumps(envelope, ensure_ascii=False)


def _classify(error):
    if isinstance(error, _Stop):
        return _fault or ("timeout", _limit_message)
    if isinstance(error, _Crash):
        return ("crash", str(error))
    if isinstance(error, MemoryError):
        return ("memory", f"interpreter memory exhausted (limit {_config['memoryBytes']} bytes)")
    if isinstance(error, RecursionError):
        return ("memory", "stack limit exceeded (RecursionError)")
    phase = "create_runtime" if _runtime is None else "step"
    return ("crash", f"{phase} raised {_describe(error)}")


def _describe(error):
    try:
        message = str(error)
    except BaseException:
        message = "<unprintable>"
    return f"{type(error).__name__}: {message}"[:400]


def _tampering():
    """The harness's own hooks must still be in place after runtime code ran."""
    if builtins.__import__ is not _guarded_import:
        return "sandbox tampering: builtins.__import__ was replaced"
    if sys.monitoring.get_tool(_TOOL) != "assay" or sys.monitoring.get_events(_TOOL) != 0:
        return "sandbox tampering: the CPU meter (sys.monitoring) was changed"
    for event, callback in ((_E.PY_START, _on_start), (_E.PY_RESUME, _on_start), (_E.JUMP, _on_jump)):
        if sys.monitoring.register_callback(_TOOL, event, callback) is not callback:
            return "sandbox tampering: the CPU meter's callbacks were replaced"
    if sys.setrecursionlimit is not _guarded_setrecursionlimit or sys.getrecursionlimit() > _config["recursionCeiling"]:
        return "sandbox tampering: the recursion limit guard was bypassed"
    if time.sleep is not _virtual_sleep:
        return "sandbox tampering: time.sleep was replaced"
    return None
