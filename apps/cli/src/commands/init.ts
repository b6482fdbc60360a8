// `assay init <dir> [--name] [--force] [--json]`: scaffold a runtime from the reference runtime.
import { z } from "zod";
import { ExitCode } from "../errors";
import { DirectoryArgument, JsonFlag, RuntimeNameOption, parseOptions } from "../options";
import { REFERENCE_PY_RUNTIME_DIR, REFERENCE_RUNTIME_DIR } from "../paths";
import { scaffoldRuntime } from "../scaffold/scaffold-runtime";
import type { CommandIo } from "../io";

const InitInput = z.object({
  dir: DirectoryArgument,
  name: RuntimeNameOption.optional(),
  force: z.boolean().default(false),
  language: z.enum(["javascript", "python"]).default("javascript"),
  json: JsonFlag,
});

export async function initCommand(dir: string, rawOptions: Record<string, unknown>, io: CommandIo, templateDir?: string): Promise<ExitCode> {
  const input = parseOptions(InitInput, { dir, ...rawOptions }, { dir: "<dir>" });
  const template = templateDir ?? (input.language === "python" ? REFERENCE_PY_RUNTIME_DIR : REFERENCE_RUNTIME_DIR);
  const result = await scaffoldRuntime({ targetDir: input.dir, name: input.name, force: input.force, templateDir: template });
  if (input.json) {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    io.stdout(
      [
        `Created runtime "${result.name}" in ${result.dir}`,
        ...result.files.map((f) => `  ${f}`),
        `subject digest ${result.subjectDigest}`,
        "",
        `Next: assay validate ${input.dir}`,
        "",
      ].join("\n"),
    );
  }
  return ExitCode.Ok;
}
