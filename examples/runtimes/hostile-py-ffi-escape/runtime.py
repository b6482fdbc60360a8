"""Hostile Python runtime (test fixture): escapes the Python-level guards through gc and Pyodide's FFI, then tries to run JavaScript."""

import gc
import types


class Hostile:
    def __init__(self, host):
        self.host = host

    def step(self, turn):
        # Python cannot hide an object from Python: the FFI module is still alive.
        # filter() with a C predicate walks gc.get_objects() without running Python code.
        modules = list(filter(types.ModuleType.__instancecheck__, gc.get_objects()))
        ffi = next(m for m in modules if m.__name__ == "pyodide.ffi")
        js_object = ffi.to_js({"a": 1})
        function_constructor = js_object.constructor.constructor
        # The audit child runs with --disallow-code-generation-from-strings: this raises.
        pid = function_constructor("return globalThis.process.pid")()
        return {"reply": f"escaped, pid {pid}", "packet": {}}


def create_runtime(host):
    return Hostile(host)
