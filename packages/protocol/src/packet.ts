// SigmaPacket per SRIP-05 (seeds/001): the unit a runtime returns every turn and
// publishes through host.sync.
import { z } from "zod";

const unit = z.number().finite().min(0).max(1);
const nonNegative = z.number().finite().min(0);

export const SigmaPacketSchema = z.object({
  header: z.object({
    protocol_version: z.string().min(1).max(16),
    source_runtime_id: z.string().min(1).max(128),
    target_runtime_id: z.string().min(1).max(128),
    timestamp: z.string().min(1).max(64),
  }),
  payload: z.object({
    attractor_state: z.object({
      id: z.string().max(128),
      type: z.string().max(64),
      stability: unit,
      phase: z.string().max(32),
      scr: unit,
    }),
    drift_metrics: z.object({ sdi: nonNegative, sv: nonNegative, pd: nonNegative, di: nonNegative }),
    memory_snapshot: z.object({ summary_hash: z.string().max(256), retention_index: unit }),
    safety_flags: z.object({
      aegida_status: z.string().max(64),
      phase_lock: z.boolean(),
      recenter_active: z.boolean(),
    }),
  }),
  signature: z.object({ checksum: z.string().max(256), integrity_token: z.string().max(512) }),
});
export type SigmaPacket = z.infer<typeof SigmaPacketSchema>;
