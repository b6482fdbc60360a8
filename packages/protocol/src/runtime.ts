// The fixed shapes a runtime sees and returns (SPEC §3).
import { z } from "zod";
import { SigmaPacketSchema } from "./packet";

export const RuntimeEventSchema = z.object({
  kind: z.enum(["provider_error", "restart", "latency"]),
  detail: z.string().optional(),
});

export const TurnSchema = z.object({
  session: z.string().min(1),
  participant: z.string().min(1),
  channel: z.enum(["direct", "group"]),
  text: z.string(),
  event: RuntimeEventSchema.optional(),
});
export type Turn = z.infer<typeof TurnSchema>;

export const StepResultSchema = z.object({
  reply: z.string(),
  packet: SigmaPacketSchema,
});
export type StepResult = z.infer<typeof StepResultSchema>;

export type ModelMessage = { role: "user" | "assistant"; content: string };
export type ModelRequest = { system?: string; messages: ModelMessage[]; maxTokens?: number };
export type ModelResponse = { text: string; usage: { inputTokens: number; outputTokens: number } };
export type ModelFaultCode = "provider_error" | "timeout" | "empty";

export const ModelRequestSchema = z.object({
  system: z.string().optional(),
  messages: z.array(z.object({ role: z.enum(["user", "assistant"]), content: z.string() })),
  maxTokens: z.number().int().positive().optional(),
});
