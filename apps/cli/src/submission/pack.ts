// The body of POST /v1/developer/submissions from a loaded runtime directory:
// exactly the artifact `assay validate` audits (the manifest's bytes and the
// esbuild bundle), so the server computes the same subject digest.
import type { SubmitRuntimeBody } from "../api";
import type { LoadedRuntime } from "../runtime-dir";

export function packRuntime(runtime: LoadedRuntime): SubmitRuntimeBody {
  return {
    // The file's own JSON, not the zod-parsed copy: the server compares it with sigma-runtime.json.
    manifest: JSON.parse(runtime.manifestText) as unknown,
    files: runtime.files.map((file) => ({ path: file.path, contentBase64: Buffer.from(file.content).toString("base64") })),
  };
}
