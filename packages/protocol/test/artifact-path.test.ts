// Canonical artifact paths: one spelling per file, nothing hidden (issue 14 §8).
import fc from "fast-check";
import { artifactEntryPath, artifactPathProblem, ArtifactPathSchema, ManifestSchema, normaliseArtifactPath, subjectDigest } from "../src";

describe("artifactPathProblem", () => {
  it.each([
    ["sigma-runtime.json"],
    ["src/index.js"],
    ["dist/a.b/c-d_e.js"],
    ["données/é.js"],
    ["emoji/😀.txt"],
  ])("accepts %j", (path) => {
    expect(artifactPathProblem(path)).toBeNull();
    expect(ArtifactPathSchema.safeParse(path).success).toBe(true);
  });

  it.each([
    ["", /empty/],
    ["a//b", /empty segment/],
    ["a/", /empty segment/],
    ["a/./b", /"\." segment/],
    ["./a", /"\." segment/],
    ["../x", /"\.\." segment/],
    ["a/../../x", /"\.\." segment/],
    ["/etc/passwd", /absolute/],
    ["a\\b", /backslash/],
    ["a\u0000b", /U\+0000/],
    ["a\nb", /U\+000A/],
    ["evil\u202Esj.txt", /U\+202E/],
    ["a\u2066b", /U\+2066/],
    ["a\u200Fb", /U\+200F/],
    ["a\u061Cb", /U\+061C/],
    ["a\u200Bb", /U\+200B/],
    ["a\uFEFFb", /U\+FEFF/],
    ["a\u0085b", /U\+0085/],
    ["e\u0301.js", /normalisation form C/],
    ["a\ud800b", /surrogate/],
    ["x".repeat(257), /longer/],
  ])("refuses %j", (path, message) => {
    expect(artifactPathProblem(path)).toMatch(message);
    expect(ArtifactPathSchema.safeParse(path).success).toBe(false);
    // The digest's listing normalises only a leading ./ and backslashes (entry spellings).
    if (path !== "./a" && path !== "a\\b") expect(() => subjectDigest([{ path, content: "x" }])).toThrow();
  });

  it("canonical paths are fixed points of normaliseArtifactPath (property)", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((s) => s !== "." && s !== "..");
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        const path = segments.join("/");
        expect(artifactPathProblem(path)).toBeNull();
        expect(normaliseArtifactPath(path)).toBe(path);
      }),
    );
  });

  it("a path that is refused never becomes acceptable by normalisation, except a leading ./ or backslashes in an entry", () => {
    expect(normaliseArtifactPath("./src/index.ts")).toBe("src/index.ts");
    expect(artifactEntryPath("./src/index.ts")).toBe("src/index.js");
    expect(() => normaliseArtifactPath("src//index.ts")).toThrow(/canonical/);
    expect(() => normaliseArtifactPath("src/\u202Ejs.ts")).toThrow(/U\+202E/);
  });

  it("manifest entries must be canonical (after an optional ./)", () => {
    const manifest = {
      name: "reference",
      version: "1.0.0",
      protocol: "sigma-runtime/1",
      identity: { name: "Atlas", role: "planner", constraints: ["numbered steps"] },
      claims: ["SRIP-03"],
      suite: "core",
    };
    expect(ManifestSchema.safeParse({ ...manifest, entry: "./src/index.ts" }).success).toBe(true);
    for (const entry of ["src//index.ts", "src/./index.ts", "src/\u202Eindex.ts", "src/in\u0000dex.ts"]) {
      const parsed = ManifestSchema.safeParse({ ...manifest, entry });
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toContain("canonical");
    }
  });
});
