// The transparency log's HTTP shapes (public plane), shared by the API, the CLI
// and the web verify page. Hashes are 64 lowercase hex digits.
import { z } from "zod";
import { DIGEST_PATTERN } from "../canonical";

export const LogHashHexSchema = z.string().regex(/^[0-9a-f]{64}$/, "expected a SHA-256 hash as 64 lowercase hex digits");
const TreeSize = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** GET /v1/public/log/checkpoint. `checkpoint` (the signed note) is authoritative; the other fields repeat it for convenience. */
export const LogCheckpointResponseSchema = z.strictObject({
  origin: z.string().min(1),
  treeSize: TreeSize,
  rootHash: LogHashHexSchema,
  timestamp: z.number().int().nonnegative(),
  checkpoint: z.string().min(1).max(16_384),
});
export type LogCheckpointResponse = z.infer<typeof LogCheckpointResponseSchema>;

export const LogProofEntrySchema = z.strictObject({
  index: TreeSize,
  /** The leaf's bytes (canonical JSON of the log entry). */
  leaf: z.string().min(1).max(4_096),
  /** Inclusion proof at the checkpoint's tree size, bottom-up. */
  proof: z.array(LogHashHexSchema).max(64),
});
export type LogProofEntry = z.infer<typeof LogProofEntrySchema>;

/** GET /v1/public/log/certificates/:id — the certificate's entries (issuance, then status changes) with proofs against one checkpoint. */
export const LogInclusionResponseSchema = z.strictObject({
  certificateId: z.string().regex(DIGEST_PATTERN),
  checkpoint: LogCheckpointResponseSchema,
  entries: z.array(LogProofEntrySchema).max(1_000),
});
export type LogInclusionResponse = z.infer<typeof LogInclusionResponseSchema>;

/** GET /v1/public/log/consistency?from=&to= (query strings: integers in decimal). */
export const LogConsistencyQuerySchema = z.strictObject({
  from: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  to: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
}).refine((q) => q.from <= q.to, { message: "from must not exceed to", path: ["from"] });
export type LogConsistencyQuery = z.infer<typeof LogConsistencyQuerySchema>;

export const LogConsistencyResponseSchema = z.strictObject({
  from: TreeSize,
  to: TreeSize,
  proof: z.array(LogHashHexSchema).max(128),
});
export type LogConsistencyResponse = z.infer<typeof LogConsistencyResponseSchema>;
