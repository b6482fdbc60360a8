// Content-addressed artifact storage on disk: a blob lives at <dir>/<sha256>.
// Why content-addressed files (docs/decisions/0005 §artifacts): the same bytes
// are stored once however often they are submitted; a blob's name is its
// integrity check (every read re-hashes); writes are idempotent (temp file +
// rename), so a crash or a retry never leaves a half-written blob under a valid
// name; API and workers share it through a directory (a volume in production)
// without a blob server; and Postgres keeps only the index row (Artifact).
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { canonicalBytes, normaliseArtifactPath, sha256Hex } from "@assay/protocol";
import { DependencyUnavailableError, isStorageFull, NotFoundError } from "../errors";

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const BUNDLE_FORMAT = "assay.artifact-bundle/v1";
export const BUNDLE_MEDIA_TYPE = "application/vnd.assay.artifact-bundle+json";

export type StoredBlob = { sha256: string; sizeBytes: number };
export type BundleFile = { path: string; content: Buffer };

export class ArtifactIntegrityError extends Error {
  override readonly name = "ArtifactIntegrityError";
}

export class ArtifactStore {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new NotFoundError("artifact_not_found", "no such artifact");
    return join(this.dir, sha256);
  }

  async put(bytes: Uint8Array): Promise<StoredBlob> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const target = this.pathOf(sha256);
    if (await exists(target)) return { sha256, sizeBytes: bytes.byteLength };
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.tmp-${randomUUID()}`);
    try {
      await writeFile(temp, bytes, { flag: "wx" });
      await rename(temp, target);
    } catch (err) {
      // Disk full: the temp file is removed below and nothing references the blob
      // (intake writes it before its transaction), so the request changes nothing.
      if (isStorageFull(err)) throw new DependencyUnavailableError("artifact_store", "the artifact store is full; nothing was stored");
      throw err;
    } finally {
      await rm(temp, { force: true });
    }
    return { sha256, sizeBytes: bytes.byteLength };
  }

  async get(sha256: string): Promise<Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError("artifact_not_found", `artifact ${sha256} is not stored`);
      throw err;
    }
    if (sha256Hex(bytes) !== sha256) throw new ArtifactIntegrityError(`artifact ${sha256} is corrupt on disk`);
    return bytes;
  }

  has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  /** Stores the files of a packed runtime as one canonical bundle blob. */
  putBundle(files: BundleFile[]): Promise<StoredBlob> {
    return this.put(encodeBundle(files));
  }

  async getBundle(sha256: string): Promise<BundleFile[]> {
    return decodeBundle(await this.get(sha256));
  }
}

/** Canonical (JCS) bytes of a bundle: files sorted by path, so equal sources give equal bytes. */
export function encodeBundle(files: BundleFile[]): Uint8Array {
  const entries = files
    .map((f) => ({ path: normaliseArtifactPath(f.path), sha256: sha256Hex(f.content), contentBase64: f.content.toString("base64") }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return canonicalBytes({ format: BUNDLE_FORMAT, files: entries });
}

export function decodeBundle(bytes: Uint8Array): BundleFile[] {
  const parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as { format?: string; files?: { path: string; sha256: string; contentBase64: string }[] };
  if (parsed.format !== BUNDLE_FORMAT || !Array.isArray(parsed.files)) throw new ArtifactIntegrityError("not an artifact bundle");
  return parsed.files.map((f) => {
    const content = Buffer.from(f.contentBase64, "base64");
    if (sha256Hex(content) !== f.sha256) throw new ArtifactIntegrityError(`bundle file ${f.path} does not match its digest`);
    return { path: f.path, content };
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
