// One cell of the fault matrix: drive a submission to a step of its flow, take
// one component down there, probe the API while it is down, bring it back, let
// the client retry what it was refused, and measure how long the platform takes
// to converge (every submission of the cell at its end state, anchored where the
// chain is on, the status change applied) — then check the invariants.
import { changeCertificateStatus, contractViolationOf, getSubmission, idOf, submit, submitUntilAccepted, type Answer } from "./client";
import pg from "pg";
import { certificateTimes, chainViolations, readAssembly, readFacts, type Facts } from "./invariants";
import { sleep, StopWaiting, waitFor } from "./ports";
import { LOG_APPEND_LOCK } from "@assay/platform";
import { MATRIX_ASSEMBLY_PARAMS, type Component, type Stack } from "./stack";

export type Step = "intake" | "audit" | "signing" | "assembly" | "anchoring" | "status_change";
export const STEPS: readonly Step[] = ["intake", "audit", "signing", "assembly", "anchoring", "status_change"];

/** The clock steps (issue 14 §1): the platform's wall clock (API + worker) stepped by an hour while an assembly phase is open. */
export type ClockStep = "clock_forward" | "clock_back";
export const CLOCK_STEPS: readonly ClockStep[] = ["clock_forward", "clock_back"];
/** What a cell takes down: a component, or the platform's clock stepped. */
export type Fault = Component | ClockStep;
export const FAULT_LABELS: Readonly<Record<Fault, string>> = {
  api: "api",
  worker: "worker",
  postgres: "PostgreSQL",
  redis: "Redis",
  chain: "chain",
  clock_forward: "clock +1 h (API + worker)",
  clock_back: "clock −1 h (API + worker)",
};
const CLOCK_STEP_SECONDS: Readonly<Record<ClockStep, number>> = { clock_forward: 3_600, clock_back: -3_600 };
export const isClockStep = (fault: Fault): fault is ClockStep => fault === "clock_forward" || fault === "clock_back";

export const STEP_LABELS: Readonly<Record<Step, string>> = {
  intake: "intake",
  audit: "audit running",
  signing: "certificate signing",
  assembly: "assembly phase open",
  anchoring: "anchoring",
  status_change: "status change",
};

export type CellOptions = { outageMs: number; boundMs: number; perAuditMs: number; log?: (line: string) => void };

export type CellResult = {
  component: Fault;
  step: Step;
  /** Whether the fault landed inside the step's window (e.g. signing: no certificate yet when it went down). */
  hit: boolean;
  outageMs: number;
  /** From the component answering again to the cell's end state; null when it did not converge within the bound. */
  convergenceMs: number | null;
  boundMs: number;
  /** API answers while the component was down, by status ("0" = no answer). */
  answers: Record<string, number>;
  violations: string[];
  notes: string[];
  green: boolean;
  /** Why the cell did not run (e.g. libfaketime missing for a clock step); a skipped cell is not red. */
  skipped?: string;
};

/** The component an API request needs: its answers while that one is down must be 503 + Retry-After. */
const API_NEEDS: ReadonlySet<Fault> = new Set(["postgres"]);

export async function runCell(stack: Stack, component: Fault, step: Step, options: CellOptions): Promise<CellResult> {
  const clock = isClockStep(component);
  if (clock && !stack.clockFile) {
    const skipped = "libfaketime is not installed (apt-get install faketime; .ci/run installs it): the platform's clock cannot be stepped";
    return { component, step, hit: false, outageMs: 0, convergenceMs: null, boundMs: options.boundMs, answers: {}, violations: [], notes: [skipped], green: true, skipped };
  }
  const log = options.log ?? (() => undefined);
  const notes: string[] = [];
  const violations: string[] = [];
  const answers: Record<string, number> = {};
  const exitsBefore = { api: stack.api.exits.length, worker: stack.worker.exits.length };
  const ids: string[] = [];
  let hit = true;
  let statusChange: Promise<Answer> | null = null;
  let certificateId: string | null = null;
  let pendingIntake: Promise<Answer>[] = [];
  let release: (() => Promise<void>) | null = null;
  let phaseAtFault: PhaseSnapshot | null = null;
  // The operator flag assembly.required is read once per audit completion: on for the assembly column, off elsewhere.
  await stack.setAssemblyRequired(step === "assembly");

  // 1. Reach the step.
  // A status change needs an issued (and anchored) certificate, not a fresh audit: an earlier cell's will do.
  const reusable = step === "status_change" ? await reusableCertificate(stack) : null;
  if (step === "intake") {
    pendingIntake = [submit(stack), submit(stack)];
    await sleep(30);
  } else {
    // On an overloaded machine an audit can end in the sandbox's wall-clock kill before the step is reached:
    // then the cell starts over with a new submission (at most three times) and says so.
    for (let attempt = 1; ; attempt += 1) {
      ids.length = 0;
      ids.push(reusable ?? (await submitUntilAccepted(stack)));
      try {
        const reached = await reachStep(stack, step, ids[0]!, clock);
        hit = reached.hit;
        certificateId = reached.certificateId;
        release = reached.release ?? null;
        phaseAtFault = reached.phase ?? null;
        break;
      } catch (error) {
        if (!(error instanceof EndedEarly) || attempt >= 3) throw error;
        notes.push(`attempt ${attempt}: ${error.message}; resubmitted`);
      }
    }
    if (step === "anchoring" && !stack.chainEnabled) notes.push("chain off: nothing to anchor");
    if (step === "status_change" && certificateId) {
      statusChange = changeCertificateStatus(stack, certificateId, "suspended");
      await sleep(30);
    }
  }

  // 2. Take the component down; probe the API while it is down.
  const phaseWatch = phaseAtFault ? watchPhase(stack, ids[0]!, phaseAtFault) : null;
  const downAt = Date.now();
  if (isClockStep(component)) await stack.stepClock(CLOCK_STEP_SECONDS[component]);
  else await stack.down(component);
  log(`${component} ${clock ? "stepped" : "down"} at ${step}`);
  // The signing cells: the issuance is held between signing and commit (reachStep); let it go now that the component is down.
  if (release) await release();
  if (phaseAtFault) notes.push(`fault in ${phaseAtFault.phase} of round ${phaseAtFault.round} (${phaseAtFault.commitments}/${phaseAtFault.seats} committed, ${phaseAtFault.reveals} revealed; ends in ${(phaseAtFault.endsInMs / 1000).toFixed(1)} s)`);
  let posted = false;
  const probeUntil = Date.now() + options.outageMs;
  while (Date.now() < probeUntil) {
    const probes: Promise<Answer>[] = [];
    if (ids[0]) probes.push(getSubmission(stack, ids[0]));
    // A new intake while a dependency is down: refused with 503, or accepted (and then it must not be lost).
    if (!posted && (component === "postgres" || component === "redis")) {
      posted = true;
      probes.push(
        submit(stack).then((a) => {
          const id = idOf(a);
          if (id) ids.push(id);
          return a;
        }),
      );
    }
    for (const answer of await Promise.all(probes)) {
      answers[String(answer.status)] = (answers[String(answer.status)] ?? 0) + 1;
      const broken = contractViolationOf(answer);
      if (broken) violations.push(`while ${component} was down the API ${broken}`);
    }
    await sleep(300);
  }
  if (API_NEEDS.has(component) && !answers["503"]) violations.push(`no 503 while ${component} was down (answers ${JSON.stringify(answers)})`);
  const intakeIds = (await Promise.all(pendingIntake)).map(idOf);
  for (const id of intakeIds) if (id) ids.push(id);

  // 3. Bring it back (a clock step is not undone: the clock stays where it was stepped); a supervisor restarts
  //    whatever else died; the client retries what it was refused.
  if (!isClockStep(component)) await stack.up(component);
  else if (phaseAtFault && phaseWatch) violations.push(...(await clockStepEffect(stack, component, ids[0]!, phaseAtFault, phaseWatch, downAt, notes)));
  const upAt = Date.now();
  const outageMs = upAt - downAt;
  const restarted = await stack.superviseRestarts();
  for (const name of ["api", "worker"] as const) {
    const exits = stack[name].exits.slice(exitsBefore[name]);
    if (exits.length) notes.push(`${name} exited on its own (${exits.join(", ")}) and was restarted`);
  }
  if (restarted.length && !notes.length) notes.push(`restarted: ${restarted.join(", ")}`);
  // Each intake request that got no 201 is sent again, as a client does after 503 or no answer.
  const refused = intakeIds.filter((id) => !id).length;
  for (let i = 0; i < refused; i += 1) ids.push(await submitUntilAccepted(stack));
  if (refused) notes.push(`${refused} intake request(s) refused during the fault, resent`);
  if (statusChange && certificateId) {
    const first = await statusChange;
    if (first.status !== 200) {
      notes.push(`status change answered ${first.status} during the fault, resent`);
      const id = certificateId;
      await waitFor(async () => {
        const again = await changeCertificateStatus(stack, id, "suspended");
        return again.status === 200 || again.status === 409;
      }, "the status change to be accepted", 120_000, 1_000);
    }
  }

  // 4. Convergence: every submission of the cell certified (and anchored), the status change applied.
  //    Bound: boundMs, plus perAuditMs for each submission still to be audited (one audit at a time).
  const atUp = await readFacts(stack).catch(() => null);
  const toAudit = ids.filter((id) => ["received", "auditing"].includes(atUp?.submissions.get(id)?.status ?? "received")).length;
  // An assembly cell may lose its round to the fault (a phase closing without votes): one more round's phases.
  const boundMs = options.boundMs + options.perAuditMs * toAudit + (step === "assembly" ? 2 * (MATRIX_ASSEMBLY_PARAMS.commitSeconds + MATRIX_ASSEMBLY_PARAMS.revealSeconds) * 1_000 : 0);
  let facts: Facts | null = null;
  let convergenceMs: number | null = null;
  try {
    facts = await waitFor(
      async () => {
        const f = await readFacts(stack);
        return converged(stack, f, ids, certificateId) ? f : null;
      },
      "convergence",
      boundMs,
      250,
    );
    convergenceMs = Date.now() - upAt;
  } catch {
    facts = await readFacts(stack).catch(() => null);
    violations.push(`did not converge within ${boundMs / 1000} s: ${facts ? describe(facts, ids) : "database unreadable"}`);
  }
  if (facts) {
    violations.push(...facts.violations);
    for (const id of ids) {
      const s = facts.submissions.get(id);
      if (!s) violations.push(`submission lost: ${id} was accepted and is not in the database`);
      else if (s.status !== "certified" && convergenceMs !== null) {
        const codes = facts.criticalFindings.get(id) ?? [];
        // The sandbox's wall-clock kill on a machine too loaded to finish the audit in time is the audit's own verdict
        // about this run, not a fault of the matrix's making; anything else (failed, another finding) is.
        if (s.status === "rejected" && codes.length > 0 && codes.every((c) => c === "RUNTIME_TIMEOUT")) notes.push(`${id.slice(0, 8)} rejected RUNTIME_TIMEOUT (machine load)`);
        else violations.push(`submission ${id} ended ${s.status} (${s.outcome ?? "no reason"}${codes.length ? `: ${codes.join(", ")}` : ""})`);
      }
    }
    if (certificateId && (facts.suspensions.get(certificateId) ?? 0) > 1) violations.push(`certificate ${certificateId} suspended ${facts.suspensions.get(certificateId)} times`);
    if (convergenceMs !== null) violations.push(...(await chainViolations(stack, facts).catch((e: Error) => [`chain unreadable: ${e.message}`])));
  }
  if (phaseWatch) {
    const moved = await phaseWatch.stop();
    if (!isClockStep(component)) notes.push(moved ? `the phase moved on ${(moved.afterMs / 1000).toFixed(1)} s after the fault (to ${moved.to})` : "the phase never moved on while watched");
  }
  if (step === "assembly" && ids[0]) {
    const a = await readAssembly(stack, ids[0]).catch(() => null);
    if (a) notes.push(`assembly ${a.status} in round ${a.round}`);
  }
  if (clock && convergenceMs !== null && ids[0]) {
    // Certificate times: the platform's (stepped) clock at issuance — between the step and convergence, plus the offset.
    const times = await certificateTimes(stack, ids[0]);
    const offsetMs = stack.clockOffsetSeconds * 1_000;
    if (times) {
      const lo = downAt + offsetMs - 5_000;
      const hi = upAt + convergenceMs + offsetMs + 5_000;
      const at = times.issuedAt.getTime();
      notes.push(`certificate issuedAt ${times.issuedAt.toISOString()} (platform clock ${stack.clockOffsetSeconds >= 0 ? "+" : ""}${stack.clockOffsetSeconds} s; row created ${times.createdAt.toISOString()})`);
      if (at < lo || at > hi) violations.push(`certificate issuedAt ${times.issuedAt.toISOString()} outside the stepped clock's window ${new Date(lo).toISOString()}–${new Date(hi).toISOString()}`);
      if (times.validUntil.getTime() <= at) violations.push("certificate validUntil not after issuedAt");
    }
  }
  return { component, step, hit, outageMs, convergenceMs, boundMs, answers, violations, notes, green: violations.length === 0 };
}

/**
 * What a clock step did to the open phase (the validators are frozen: no seat acts, only the deadline can close it),
 * against the design (docs/decisions/0023): forward by an hour, the phase is overdue and closes at once, and the
 * next phase gets its full duration (no second phase skipped by the same step); back by an hour, the phase does
 * not close at its old deadline (it stalls up to the step) — and as soon as the seats act it moves on (no hang).
 * Thaws the validators before returning.
 */
async function clockStepEffect(
  stack: Stack,
  step: ClockStep,
  submissionId: string,
  before: PhaseSnapshot,
  watch: { moved: () => { afterMs: number; to: string } | null },
  steppedAt: number,
  notes: string[],
): Promise<string[]> {
  const violations: string[] = [];
  try {
    if (step === "clock_forward") {
      await waitFor(async () => watch.moved(), "the phase to move", 20_000, 100).catch(() => null);
      const moved = watch.moved();
      if (!moved) violations.push(`forward step: the ${before.phase} phase (${(before.endsInMs / 1000).toFixed(1)} s left) did not close within 20 s of the step (design: at once)`);
      else {
        notes.push(`forward step: the ${before.phase} phase (${(before.endsInMs / 1000).toFixed(1)} s left, no seat acting) closed ${(moved.afterMs / 1000).toFixed(1)} s after the step, to ${moved.to}`);
        const after = await readAssembly(stack, submissionId);
        if (after && after.status === "open" && ["review", "commit", "reveal"].includes(after.phase)) {
          const seconds = Math.round((after.phaseEndsAt.getTime() - after.phaseStartedAt.getTime()) / 1000);
          const expected = MATRIX_ASSEMBLY_PARAMS[`${after.phase as "review" | "commit" | "reveal"}Seconds`];
          notes.push(`next phase ${after.phase} of round ${after.round}: ${seconds} s long, ends ${after.phaseEndsAt.toISOString()} (platform clock)`);
          if (seconds !== expected) violations.push(`forward step: the next phase ${after.phase} got ${seconds} s, not its ${expected} s`);
        }
      }
    } else {
      // Past the old deadline by 10 s (more than the reconciler's 2 s grace and its 0.5 s sweep): still open?
      const waitMs = Math.max(0, before.endsInMs - (Date.now() - steppedAt)) + 10_000;
      await sleep(waitMs);
      const moved = watch.moved();
      if (moved) violations.push(`backward step: the ${before.phase} phase closed ${(moved.afterMs / 1000).toFixed(1)} s after the step, at its old deadline (design: it stalls up to the step)`);
      else notes.push(`backward step: the ${before.phase} phase (${(before.endsInMs / 1000).toFixed(1)} s left, no seat acting) still open ${((Date.now() - steppedAt) / 1000).toFixed(1)} s after the step (stalls, as designed)`);
    }
  } finally {
    stack.thawValidators();
  }
  return violations;
}

type PhaseSnapshot = { round: number; phase: string; seats: number; commitments: number; reveals: number; endsInMs: number };

/** Polls a submission's assembly until its round or phase differs from `from`; stop() says when (ms after the start) and to what. */
function watchPhase(stack: Stack, submissionId: string, from: PhaseSnapshot): { moved: () => { afterMs: number; to: string } | null; stop: () => Promise<{ afterMs: number; to: string } | null> } {
  const started = Date.now();
  let moved: { afterMs: number; to: string } | null = null;
  let stopped = false;
  const loop = (async () => {
    while (!stopped && !moved) {
      const a = await readAssembly(stack, submissionId).catch(() => null);
      if (a && (a.round !== from.round || a.phase !== from.phase)) moved = { afterMs: Date.now() - started, to: a.status === "open" ? `${a.phase} of round ${a.round}` : a.status };
      await sleep(250);
    }
  })();
  return {
    moved: () => moved,
    stop: async () => {
      stopped = true;
      await loop;
      return moved;
    },
  };
}

function converged(stack: Stack, facts: Facts, ids: string[], certificateId: string | null): boolean {
  for (const id of ids) {
    const s = facts.submissions.get(id);
    if (!s || !["certified", "rejected", "failed"].includes(s.status)) return false;
    if (s.status === "certified") {
      const c = facts.certificates.get(id);
      if (!c || (stack.chainEnabled && !c.anchored)) return false;
    }
  }
  if (certificateId) {
    const c = [...facts.certificates.values()].find((x) => x.id === certificateId);
    if (!c || c.status !== "suspended") return false;
  }
  return facts.violations.length === 0;
}

function describe(facts: Facts, ids: string[]): string {
  return ids
    .map((id) => {
      const s = facts.submissions.get(id);
      const c = facts.certificates.get(id);
      return `${id.slice(0, 8)} ${s?.status ?? "missing"}${c ? ` cert ${c.status}${c.anchored ? " anchored" : " not anchored"}` : ""}`;
    })
    .join("; ");
}

/** The submission of an active certificate (anchored where the chain is on), or null. */
async function reusableCertificate(stack: Stack): Promise<string | null> {
  const facts = await readFacts(stack);
  for (const [submissionId, c] of facts.certificates) if (c.status === "active" && (c.anchored || !stack.chainEnabled)) return submissionId;
  return null;
}

class EndedEarly extends StopWaiting {}

/** Waits until submission `id` is at `step`; throws EndedEarly when it reached an end state first. */
async function reachStep(
  stack: Stack,
  step: Step,
  id: string,
  clockCell = false,
): Promise<{ hit: boolean; certificateId: string | null; release?: () => Promise<void>; phase?: PhaseSnapshot }> {
  const endedEarly = (f: Facts) => {
    const s = f.submissions.get(id);
    if (s && (s.status === "rejected" || s.status === "failed")) throw new EndedEarly(`${id.slice(0, 8)} ended ${s.status} (${(f.criticalFindings.get(id) ?? []).join(", ") || s.outcome}) before the step`);
  };
  const until = <T>(probe: (f: Facts) => T | null | Promise<T | null>, what: string, everyMs: number) =>
    waitFor(
      async () => {
        const f = await readFacts(stack);
        endedEarly(f);
        return probe(f);
      },
      what,
      600_000,
      everyMs,
    );
  switch (step) {
    case "audit":
      await waitFor(
        async () => {
          const view = await getSubmission(stack, id);
          const body = view.status === 200 ? (view.body as { status: string; progress?: { turnsCompleted?: number } }) : null;
          if (body && (body.status === "rejected" || body.status === "failed")) throw new EndedEarly(`${id.slice(0, 8)} ended ${body.status} before the step`);
          return body && body.status === "auditing" && (body.progress?.turnsCompleted ?? 0) >= 5;
        },
        "the audit to be under way",
        600_000,
        50,
      );
      return { hit: true, certificateId: null };
    case "signing": {
      // Signing takes milliseconds, so a fault aimed at it by timing lands before or after it. Instead the
      // harness holds the transparency log's append lock (the advisory lock every log append takes inside
      // its transaction) from the audit's start: the issuance then signs, writes the submission's transition
      // and the certificate row, and blocks on the lock inside its open transaction — a real lock wait, the
      // platform unchanged. The fault lands there; the lock is released right after the component is down.
      await until((x) => (["auditing", "in_assembly", "certified"].includes(x.submissions.get(id)?.status ?? "") ? x : null), "the audit to start", 50);
      const lock = new pg.Client({ connectionString: stack.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
      lock.on("error", () => undefined);
      await lock.connect();
      await lock.query("SELECT pg_advisory_lock($1)", [LOG_APPEND_LOCK]);
      const release = async () => {
        await lock.query("SELECT pg_advisory_unlock($1)", [LOG_APPEND_LOCK]).catch(() => undefined);
        await lock.end().catch(() => undefined);
      };
      try {
        if ((await readFacts(stack)).certificates.has(id)) {
          await release();
          return { hit: false, certificateId: null };
        }
        await until(
          async (x) => {
            if (x.certificates.has(id)) throw new StopWaiting("the certificate was issued while the log lock was held");
            if (!(await reportStored(stack, id))) return null;
            const waiting = await lock.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted", [LOG_APPEND_LOCK]);
            return (waiting.rows[0] as { n: number }).n > 0 ? x : null;
          },
          "the issuance to wait on the log lock (signed, not committed)",
          50,
        );
        return { hit: true, certificateId: null, release };
      } catch (error) {
        await release();
        throw error;
      }
    }
    case "assembly": {
      // A voting phase open (review also takes commitments; commit; reveal), the seats drawn: polled from the database.
      const deadline = Date.now() + 600_000;
      while (Date.now() < deadline) {
        const x = await readFacts(stack);
        endedEarly(x);
        if (x.certificates.has(id)) return { hit: false, certificateId: null };
        const a = await readAssembly(stack, id);
        if (clockCell && a && a.status === "open" && a.phase === "review" && a.seats > 0) {
          // The clock cells: freeze the validators as the round opens, so the commit phase that follows stays open
          // until its deadline (30 s) and only the clock can move it; the step lands in that phase.
          stack.freezeValidators();
          const inCommit = await waitFor(async () => {
            const c = await readAssembly(stack, id);
            return c && c.phase === "commit" ? c : null;
          }, "the commit phase (validators frozen)", 60_000, 100).catch(async (error: Error) => {
            stack.thawValidators();
            throw error;
          });
          return {
            hit: inCommit.commitments === 0,
            certificateId: null,
            phase: { round: inCommit.round, phase: inCommit.phase, seats: inCommit.seats, commitments: inCommit.commitments, reveals: inCommit.reveals, endsInMs: inCommit.phaseEndsAt.getTime() - Date.now() - stack.clockOffsetSeconds * 1_000 },
          };
        }
        if (!clockCell && a && a.status === "open" && ["review", "commit", "reveal"].includes(a.phase) && a.seats > 0) {
          return {
            hit: true,
            certificateId: null,
            phase: { round: a.round, phase: a.phase, seats: a.seats, commitments: a.commitments, reveals: a.reveals, endsInMs: a.phaseEndsAt.getTime() - Date.now() - stack.clockOffsetSeconds * 1_000 },
          };
        }
        await sleep(50);
      }
      throw new Error("timed out waiting for an assembly phase to open");
    }
    case "anchoring": {
      const facts = await until((x) => (x.certificates.has(id) ? x : null), "the certificate to be issued", 20);
      return { hit: stack.chainEnabled && !facts.certificates.get(id)!.anchored, certificateId: null };
    }
    case "status_change": {
      const facts = await until((x) => {
        const c = x.certificates.get(id);
        return c && (c.anchored || !stack.chainEnabled) ? x : null;
      }, "the certificate to be issued and anchored", 100);
      return { hit: true, certificateId: facts.certificates.get(id)!.id };
    }
    default:
      return { hit: true, certificateId: null };
  }
}

async function reportStored(stack: Stack, submissionId: string): Promise<boolean> {
  const pg = await import("pg");
  const client = new pg.default.Client({ connectionString: stack.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const rows = await client.query("SELECT 1 FROM audit_reports r JOIN audit_runs a ON a.id = r.audit_run_id WHERE a.submission_id = $1", [submissionId]);
    return (rows.rowCount ?? 0) > 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}
