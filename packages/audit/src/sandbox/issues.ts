// Zod issues as short, stable strings ("packet.payload.drift_metrics.di: ...")
// for TurnRecord.packetIssues. Stable wording matters: the records are hashed.
import type { z } from "zod";

export function formatIssues(error: z.ZodError, root: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    return `${root}${path}: ${issue.message}`;
  });
}
