// Optional: compare the certificate's subject digest with a local artifact
// (sigma-runtime.json + the bundled entry), hashed in this browser.
import { useId, useState, type ChangeEvent } from "react";
import { localArtifactDigest, type LocalArtifact } from "./artifact";

export function ArtifactCheck({ expected, onDigest }: { expected: string; onDigest: (digest: string | undefined) => void }) {
  const inputId = useId();
  const [artifact, setArtifact] = useState<LocalArtifact | null>(null);
  const [error, setError] = useState<string | null>(null);

  const read = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setError(null);
    try {
      const files = await Promise.all(Array.from(list).map(async (f) => ({ name: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      const result = localArtifactDigest(files);
      setArtifact(result);
      onDigest(result.digest);
    } catch (e) {
      setArtifact(null);
      onDigest(undefined);
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby={`${inputId}-heading`} className="artifact-check">
      <h2 id={`${inputId}-heading`}>Check against a local artifact</h2>
      <p>
        Choose the runtime's <code>sigma-runtime.json</code> and its bundled entry file. Their subject digest is computed here and compared with the
        certificate's.
      </p>
      <label htmlFor={inputId}>Artifact files</label>
      <input id={inputId} type="file" multiple onChange={(e: ChangeEvent<HTMLInputElement>) => void read(e.target.files)} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {artifact && (
        <p role="status" className={artifact.digest === expected ? "ok" : "fail"}>
          {artifact.digest === expected ? "✓ matches" : "✗ differs from"} the subject digest: local <code className="digest">{artifact.digest}</code> over{" "}
          {artifact.files.map((f) => `${f.path} (${f.bytes} bytes)`).join(", ")}
        </p>
      )}
    </section>
  );
}
