"""Native CPython baseline for the Pyodide benchmark (bench/python.bench.ts).

Runs a Python runtime's steps, exactly as recorded in a sandboxed audit, under
the machine's own python3: the same turns, and host calls answered from the
recording (model replies, embeddings, clock), so the runtime does the same
work. Prints JSON: the time spent in steps, the part of it spent answering host
calls, turns, and how many host calls did not match the recording.
"""

import importlib
import json
import sys
import time
import types


class ModelError(Exception):
    def __init__(self, code):
        super().__init__(f"model error: {code}")
        self.code = code


class ReplayHost:
    def __init__(self, manifest, calls):
        self.manifest = manifest
        self._calls = iter(calls)
        self.mismatches = 0
        self.host_seconds = 0.0
        host = self

        class Model:
            def complete(self, request):
                reply = host._next("complete", json.dumps(request))
                if "fault" in reply:
                    raise ModelError(reply["fault"])
                return reply["value"]

        class Clock:
            def now(self):
                return host._next("now", None)["value"]

        class Sync:
            def publish(self, packet):
                host._next("publish", json.dumps(packet))

        self.model, self.clock, self.sync = Model(), Clock(), Sync()
        self.ModelError = ModelError

    def _next(self, name, body):
        started = time.perf_counter()
        recorded_name, response = next(self._calls, (None, "{}"))
        if recorded_name != name:
            self.mismatches += 1
        value = json.loads(response)
        self.host_seconds += time.perf_counter() - started
        return value

    def embed(self, text):
        return self._next("embed", json.dumps(text))["value"]

    def random(self):
        return self._next("random", None)["value"]

    def log(self, *args):
        self._next("log", None)


def main():
    recording = json.load(open(sys.argv[1]))
    root = sys.argv[2]
    sys.path.insert(0, root)
    api = types.ModuleType("assay_runtime")
    api.ModelError = ModelError
    sys.modules["assay_runtime"] = api
    entry = recording["entry"][:-3].replace("/", ".")
    step_seconds = host_seconds = 0.0
    turns = mismatches = 0
    for run in recording["runs"]:
        for name in [n for n, m in sys.modules.items() if (getattr(m, "__file__", None) or "").startswith(root)]:
            del sys.modules[name]
        host = ReplayHost(recording["manifest"], run["calls"])
        runtime = None
        for turn in run["turns"]:
            started = time.perf_counter()
            if runtime is None:
                runtime = importlib.import_module(entry).create_runtime(host)
            result = runtime.step(json.loads(json.dumps(turn)))
            json.dumps(result)  # the sandbox serialises every result
            step_seconds += time.perf_counter() - started
            turns += 1
        host_seconds += host.host_seconds
        mismatches += host.mismatches
    print(json.dumps({"stepMs": step_seconds * 1000, "hostMs": host_seconds * 1000, "turns": turns, "mismatches": mismatches, "python": sys.version.split()[0]}))


main()
