// host.model.complete for one turn: calls the synthetic model with the turn's
// context, records usage per call, and makes the scripted fault of the turn's
// first call surface as a thrown { code } inside the isolate (SPEC §3 Host:
// "throws { code: provider_error | timeout | empty } on scripted faults"),
// whether the model raised it itself or returned normally.
import type { ModelRequest, ModelResponse } from "@assay/protocol";
import { ModelFaultError, isModelFaultCode } from "../sandbox/faults";
import type { HostModel } from "../sandbox/sandbox";
import type { ModelCallRecord, ScriptedTurn, SyntheticModel } from "../types";

export class TurnModelBridge {
  private turnIndex = 0;
  private scripted: ScriptedTurn | null = null;
  private calls: ModelCallRecord[] = [];

  constructor(private readonly model: SyntheticModel) {}

  beginTurn(turnIndex: number, scripted: ScriptedTurn): void {
    this.turnIndex = turnIndex;
    this.scripted = scripted;
    this.calls = [];
  }

  /** Calls made during the current turn. */
  get turnCalls(): ModelCallRecord[] {
    return this.calls;
  }

  readonly complete: HostModel = (request: ModelRequest): ModelResponse => {
    const scripted = this.scripted;
    if (!scripted) throw new Error("model bridge used outside a turn");
    const callInTurn = this.calls.length;
    const scriptedFault = callInTurn === 0 ? scripted.fault : undefined;
    let response: ModelResponse;
    try {
      response = this.model.complete(request, { turnIndex: this.turnIndex, scripted, callInTurn });
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (error instanceof ModelFaultError || isModelFaultCode(code)) {
        const faultCode = error instanceof ModelFaultError ? error.code : (code as ModelFaultError["code"]);
        this.calls.push({ inputTokens: 0, outputTokens: 0, fault: faultCode });
        throw new ModelFaultError(faultCode);
      }
      throw error;
    }
    const usage = { inputTokens: nonNegativeInt(response.usage.inputTokens), outputTokens: nonNegativeInt(response.usage.outputTokens) };
    if (scriptedFault && scriptedFault.code !== "truncated") {
      this.calls.push({ inputTokens: usage.inputTokens, outputTokens: 0, fault: scriptedFault.code });
      throw new ModelFaultError(scriptedFault.code);
    }
    this.calls.push(scriptedFault ? { ...usage, fault: scriptedFault.code } : usage);
    return { text: response.text, usage };
  };
}

function nonNegativeInt(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
