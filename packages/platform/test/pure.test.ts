import fc from "fast-check";
import { SecretBox } from "../src/crypto/secret-box";
import { SUBMISSION_STATUSES, SUBMISSION_TRANSITIONS, canTransition, isTerminal } from "../src/services/submission-state";
import { seedFromDigest, unpackSubmission } from "../src/services/submission-input";
import { decodeBundle, encodeBundle } from "../src/services/artifact-store";
import { PayloadTooLargeError, ValidationError } from "../src/errors";
import { sampleManifest, samplePackedRuntime } from "../src/testing/fixtures";

describe("submission state machine table", () => {
  it("allows exactly the documented transitions", () => {
    const allowed = SUBMISSION_STATUSES.flatMap((from) => SUBMISSION_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(
      [
        "received->auditing",
        "received->failed",
        "auditing->in_assembly",
        "auditing->rejected",
        "auditing->failed",
        "in_assembly->certified",
        "in_assembly->rejected",
        "in_assembly->failed",
        "failed->received",
      ].sort(),
    );
  });

  it("certified and rejected are terminal; nothing returns to certified except through assembly", () => {
    expect(isTerminal("certified") && isTerminal("rejected")).toBe(true);
    expect(SUBMISSION_TRANSITIONS.certified).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SUBMISSION_STATUSES), { maxLength: 20 }), (steps) => {
        let status: (typeof SUBMISSION_STATUSES)[number] = "received";
        const seen: string[] = [status];
        for (const next of steps) if (canTransition(status, next)) seen.push((status = next));
        const i = seen.indexOf("certified");
        return i === -1 || seen[i - 1] === "in_assembly";
      }),
    );
  });
});

describe("SecretBox", () => {
  const box = new SecretBox("s".repeat(40));

  it("round-trips and never shows the plaintext", () => {
    const sealed = box.seal("signing-key", '{"d":"secret-material"}');
    expect(sealed).not.toContain("secret-material");
    expect(box.open("signing-key", sealed)).toBe('{"d":"secret-material"}');
    expect(box.seal("signing-key", "x")).not.toBe(box.seal("signing-key", "x"));
  });

  it("refuses another purpose, another secret and tampering", () => {
    const sealed = box.seal("signing-key", "payload");
    expect(() => box.open("totp-secret", sealed)).toThrow();
    expect(() => new SecretBox("t".repeat(40)).open("signing-key", sealed)).toThrow();
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[3]!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open("signing-key", [parts[0], parts[1], parts[2], flipped.toString("base64url")].join("."))).toThrow();
  });
});

describe("unpackSubmission", () => {
  const limits = { maxBytes: 1024 * 1024 };

  it("computes the subject digest and a reproducible seed", () => {
    const a = unpackSubmission(samplePackedRuntime(), limits);
    const b = unpackSubmission({ ...samplePackedRuntime(), files: [...samplePackedRuntime().files].reverse() }, limits);
    expect(a.subjectDigest).toMatch(/^0x[0-9a-f]{64}$/);
    expect(b.subjectDigest).toBe(a.subjectDigest);
    expect(a.seed).toBe(seedFromDigest(a.subjectDigest));
  });

  it.each([
    ["manifest_invalid", () => ({ ...samplePackedRuntime(), manifest: { name: "x" } })],
    ["artifact_manifest_mismatch", () => ({ ...samplePackedRuntime(), manifest: sampleManifest({ version: "2.0.0" }) })],
    ["artifact_entry_missing", () => ({ ...samplePackedRuntime(), files: samplePackedRuntime().files.slice(0, 1) })],
    ["artifact_path_invalid", () => ({ ...samplePackedRuntime(), files: [...samplePackedRuntime().files, { path: "../evil.js", contentBase64: "" }] })],
    ["artifact_path_duplicate", () => ({ ...samplePackedRuntime(), files: [...samplePackedRuntime().files, samplePackedRuntime().files[1]!] })],
    ["artifact_manifest_missing", () => ({ ...samplePackedRuntime(), files: samplePackedRuntime().files.slice(1) })],
  ])("rejects %s", (code, body) => {
    let error: unknown;
    try {
      unpackSubmission(body() as never, limits);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(code);
  });

  it("caps the decoded size", () => {
    const body = samplePackedRuntime({ entrySource: "x".repeat(5000) });
    expect(() => unpackSubmission(body, { maxBytes: 4096 })).toThrow(PayloadTooLargeError);
  });
});

describe("artifact bundles", () => {
  it("encode canonically (order-independent) and decode to the same files", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ path: fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8})?\.js$/), content: fc.uint8Array({ maxLength: 64 }) }), {
          selector: (f) => f.path,
          minLength: 1,
          maxLength: 6,
        }),
        (files) => {
          const buffers = files.map((f) => ({ path: f.path, content: Buffer.from(f.content) }));
          const bytes = encodeBundle(buffers);
          expect(Buffer.from(encodeBundle([...buffers].reverse())).equals(Buffer.from(bytes))).toBe(true);
          const decoded = decodeBundle(bytes);
          expect(decoded.map((f) => f.path)).toEqual(buffers.map((f) => f.path).sort());
          for (const f of decoded) expect(f.content.equals(buffers.find((b) => b.path === f.path)!.content)).toBe(true);
        },
      ),
    );
  });
});
