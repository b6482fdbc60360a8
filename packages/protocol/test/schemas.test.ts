import { ManifestSchema, manifestLanguage, subjectDigest, artifactListing, SigmaPacketSchema } from "../src";

const manifest = {
  name: "reference",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Atlas", role: "project planning assistant", constraints: ["numbered steps"] },
  claims: ["SRIP-03", "SRIP-05", "SRIP-13"],
  suite: "core",
};

describe("manifest schema", () => {
  it("accepts a well-formed manifest", () => {
    expect(ManifestSchema.parse(manifest)).toEqual(manifest);
  });

  it("accepts a Python manifest (language python, .py entry) and keeps a JavaScript one without a language", () => {
    const python = { ...manifest, language: "python", entry: "pkg/runtime.py" };
    expect(ManifestSchema.parse(python)).toEqual(python);
    expect(manifestLanguage(ManifestSchema.parse(python))).toBe("python");
    expect(manifestLanguage(ManifestSchema.parse(manifest))).toBe("javascript");
  });

  it.each([
    ["bad version", { version: "1.0" }, "version"],
    ["wrong protocol", { protocol: "sigma-runtime/2" }, "protocol"],
    ["escaping entry", { entry: "../x.js" }, "entry"],
    ["absolute entry", { entry: "/etc/passwd.js" }, "entry"],
    ["unknown claim", { claims: ["SRIP-99"] }, "claims"],
    ["repeated claim", { claims: ["SRIP-03", "SRIP-03"] }, "claims"],
    ["no constraints", { identity: { ...manifest.identity, constraints: [] } }, "identity"],
    ["unknown key", { extra: 1 }, ""],
    ["unknown language", { language: "ruby" }, "language"],
    [".py entry without language python", { entry: "runtime.py" }, "language"],
    ["python with a JavaScript entry", { language: "python" }, "entry"],
  ])("rejects %s naming the field", (_label, patch, field) => {
    const result = ManifestSchema.safeParse({ ...manifest, ...patch });
    expect(result.success).toBe(false);
    if (field) expect(result.error!.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
  });
});

describe("subject digest", () => {
  const files = [
    { path: "sigma-runtime.json", content: "{}" },
    { path: "runtime.js", content: "export function createRuntime(){}" },
  ];
  it("does not depend on file order", () => {
    expect(subjectDigest(files)).toBe(subjectDigest([...files].reverse()));
  });
  it("changes when any byte changes", () => {
    expect(subjectDigest(files)).not.toBe(subjectDigest([files[0]!, { ...files[1]!, content: "export function createRuntime(){ }" }]));
  });
  it("changes when a file is renamed", () => {
    expect(subjectDigest(files)).not.toBe(subjectDigest([files[0]!, { ...files[1]!, path: "main.js" }]));
  });
  it("sorts paths and rejects escapes and duplicates", () => {
    expect(artifactListing(files).map((e) => e.path)).toEqual(["runtime.js", "sigma-runtime.json"]);
    expect(() => subjectDigest([{ path: "../x", content: "" }])).toThrow("inside the artifact");
    expect(() => subjectDigest([files[0]!, files[0]!])).toThrow("duplicate");
  });
});

describe("SigmaPacket schema", () => {
  it("rejects a packet with a negative drift", () => {
    const packet = {
      header: { protocol_version: "1.0", source_runtime_id: "a", target_runtime_id: "b", timestamp: "0" },
      payload: {
        attractor_state: { id: "x", type: "task", stability: 0.9, phase: "stable", scr: 0.8 },
        drift_metrics: { sdi: 0.1, sv: 0.1, pd: 0.1, di: -0.1 },
        memory_snapshot: { summary_hash: "h", retention_index: 0.5 },
        safety_flags: { aegida_status: "ok", phase_lock: false, recenter_active: false },
      },
      signature: { checksum: "c", integrity_token: "t" },
    };
    expect(SigmaPacketSchema.safeParse(packet).success).toBe(false);
    packet.payload.drift_metrics.di = 0.1;
    expect(SigmaPacketSchema.safeParse(packet).success).toBe(true);
  });
});

describe("artifactEntryPath", () => {
  it("stores a TypeScript entry's bundle under the JavaScript extension", () => {
    const { artifactEntryPath } = require("../src") as typeof import("../src");
    expect(artifactEntryPath("src/index.ts")).toBe("src/index.js");
    expect(artifactEntryPath("./main.mts")).toBe("main.mjs");
    expect(artifactEntryPath("runtime.js")).toBe("runtime.js");
    expect(() => artifactEntryPath("../x.ts")).toThrow();
  });
});
