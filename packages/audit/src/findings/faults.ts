// Sandbox faults and invalid packets.
// invalid_result: the step returned something that is not a StepResult. When a
// reply string still came back, the reply is usable and only the packet is at
// fault (PACKET_INVALID, major); when no reply came back at all, the runtime
// failed to answer the turn, which is a crash (RUNTIME_CRASH, critical).
import { DEFAULT_SEVERITY, type FindingCode } from "@assay/protocol";
import type { RunAnalysis } from "../metrics/analyze";
import type { SandboxFaultKind, TurnRecord } from "../types";
import type { Occurrence } from "./occurrence";

const FAULT_CODES: Record<Exclude<SandboxFaultKind, "invalid_result">, FindingCode> = {
  crash: "RUNTIME_CRASH",
  timeout: "RUNTIME_TIMEOUT",
  memory: "RUNTIME_MEMORY",
  output_limit: "RUNTIME_OUTPUT_LIMIT",
  forbidden_api: "RUNTIME_FORBIDDEN_API",
};

const FAULT_TEXT: Record<SandboxFaultKind, string> = {
  crash: "runtime crashed",
  timeout: "runtime exceeded its CPU budget or wall-clock limit",
  memory: "runtime exceeded its memory limit",
  output_limit: "runtime exceeded the output-size limit",
  forbidden_api: "runtime touched a forbidden API",
  invalid_result: "runtime returned an invalid step result",
};

const MESSAGE_LIMIT = 240;

export function faultCode(record: TurnRecord): FindingCode | null {
  const fault = record.fault;
  if (!fault) return null;
  if (fault.kind === "invalid_result") return record.reply === null ? "RUNTIME_CRASH" : "PACKET_INVALID";
  return FAULT_CODES[fault.kind];
}

export function faultOccurrences(analysis: RunAnalysis): Occurrence[] {
  const out: Occurrence[] = [];
  for (const record of analysis.run.records) {
    const code = faultCode(record);
    if (!code || !record.fault) continue;
    const detail = record.fault.message.slice(0, MESSAGE_LIMIT);
    out.push({
      code,
      severity: DEFAULT_SEVERITY[code],
      scenario: analysis.label,
      turn: record.index,
      message: `Turn ${record.index}: ${FAULT_TEXT[record.fault.kind]}${detail ? `: ${detail}` : ""}`,
      evidence: { fault: record.fault.kind, detail, replied: record.reply !== null, turnsRun: analysis.run.records.length },
    });
  }
  return out;
}

export function packetOccurrences(analysis: RunAnalysis): Occurrence[] {
  const bad = analysis.run.records.filter((r) => r.packetIssues.length > 0);
  const first = bad[0];
  if (!first) return [];
  const issues = bad.reduce((n, r) => n + r.packetIssues.length, 0);
  return [
    {
      code: "PACKET_INVALID",
      severity: DEFAULT_SEVERITY.PACKET_INVALID,
      scenario: analysis.label,
      turn: first.index,
      message: `Returned SigmaPacket failed the SRIP-05 schema on ${bad.length} turn(s), first at turn ${first.index}`,
      evidence: { invalidTurns: bad.length, issues, firstIssue: (first.packetIssues[0] ?? "").slice(0, MESSAGE_LIMIT) },
    },
  ];
}
