// The audit-wide deterministic CPU meter. Units are QuickJS interrupt-handler
// invocations; every sandbox of one audit adds to the same meter, so a runtime
// cannot spread an expensive computation over many scenarios.
export class BudgetMeter {
  used = 0;
  constructor(readonly auditBudget: number) {
    if (!Number.isInteger(auditBudget) || auditBudget <= 0) throw new RangeError("auditBudget must be a positive integer");
  }
  get remaining(): number {
    return Math.max(0, this.auditBudget - this.used);
  }
}
