// Runs a population of demo validator agents: each activates with its own key
// and polls its assignments; in review/commit it reads the evidence, decides by
// its profile and commits; in reveal it reveals what it committed. A lazy agent
// that stays away from an assignment stays away for that whole round.
import type { Vote } from "@assay/assembly";
import { AgentClient, AgentHttpError } from "./agent-client";
import { EvidenceSchema, voteOf, type Profile } from "./profiles";

/** Model families handed out in turn, so seats can follow the one-family-one-opinion rule. */
export const MODEL_FAMILIES = ["gpt-4o", "claude", "llama", "mistral", "gemini", "qwen", "deepseek", "phi"];

export type AgentState = { name: string; profile: Profile; client: AgentClient; ballots: Map<string, { vote: Vote; salt: string } | "absent"> };
export type RunnerLog = (message: string) => void;

export type RunnerOptions = {
  baseUrl: string;
  profiles: readonly Profile[];
  stake?: string;
  pollMs?: number;
  random?: () => number;
  log?: RunnerLog;
  fetchImpl?: typeof fetch;
  /** Stored keys by agent name (PKCS#8 PEM): the same validators come back after a restart. */
  keys?: Record<string, string>;
};

export class ValidatorRunner {
  readonly agents: AgentState[];
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private readonly random: () => number;
  private readonly log: RunnerLog;

  constructor(private readonly options: RunnerOptions) {
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => undefined);
    const counts = new Map<Profile, number>();
    this.agents = options.profiles.map((profile) => {
      const n = (counts.get(profile) ?? 0) + 1;
      counts.set(profile, n);
      const name = `${profile}-${n}`;
      return { name, profile, client: new AgentClient(options.baseUrl, options.fetchImpl, options.keys?.[name]), ballots: new Map() };
    });
  }

  /** Every agent's key by name, to store for the next start. */
  keys(): Record<string, string> {
    return Object.fromEntries(this.agents.map((a) => [a.name, a.client.privateKeyPem()]));
  }

  async activateAll(): Promise<void> {
    for (const [i, agent] of this.agents.entries()) {
      const id = await agent.client.activate({ stake: this.options.stake ?? "1000000", kind: "agent", modelFamily: MODEL_FAMILIES[i % MODEL_FAMILIES.length]!, name: agent.name });
      this.log(`${agent.name} activated as validator ${id}`);
    }
  }

  /** One pass over every agent's assignments. */
  async tick(): Promise<void> {
    for (const agent of this.agents) {
      try {
        await this.act(agent);
      } catch (error) {
        this.log(`${agent.name}: ${(error as Error).message}`);
      }
    }
  }

  private async act(agent: AgentState): Promise<void> {
    // A failed contribution must not keep the agent from voting.
    await this.contribute(agent).catch((error: unknown) => this.log(`${agent.name}: beacon: ${(error as Error).message}`));
    for (const a of await agent.client.assignments()) {
      const key = `${a.assemblyId}:${a.round}`;
      let ballot = agent.ballots.get(key);
      if ((a.phase === "review" || a.phase === "commit") && !a.committed && ballot === undefined) {
        const evidence = EvidenceSchema.parse(await agent.client.evidence(a.assemblyId));
        const vote = voteOf(agent.profile, evidence, this.random());
        if (vote === null) {
          agent.ballots.set(key, "absent");
          this.log(`${agent.name} stays away from assembly ${a.assemblyId} round ${a.round}`);
          continue;
        }
        try {
          const salt = await agent.client.commit(a.assemblyId, a.round, vote);
          ballot = { vote, salt };
          agent.ballots.set(key, ballot);
          this.log(`${agent.name} committed (${vote.verdict}) in assembly ${a.assemblyId} round ${a.round}`);
        } catch (error) {
          if (!(error instanceof AgentHttpError && error.status === 409)) throw error;
        }
      }
      if (a.phase === "reveal" && a.committed && !a.revealed && ballot !== undefined && ballot !== "absent") {
        try {
          await agent.client.reveal(a.assemblyId, a.round, ballot.vote, ballot.salt);
          this.log(`${agent.name} revealed ${ballot.vote.verdict} in assembly ${a.assemblyId} round ${a.round}`);
        } catch (error) {
          if (!(error instanceof AgentHttpError && error.status === 409)) throw error;
        }
      }
    }
  }

  /** Every profile adds randomness to open beacon windows: the draw is everyone's business, whatever the vote. */
  private async contribute(agent: AgentState): Promise<void> {
    for (const w of await agent.client.beacons()) {
      if (w.contributed) continue;
      try {
        await agent.client.contributeBeacon(w.assemblyId);
        this.log(`${agent.name} contributed to the beacon of assembly ${w.assemblyId}`);
      } catch (error) {
        // The window closed meanwhile, or an earlier attempt got through: nothing to do.
        if (!(error instanceof AgentHttpError && error.status === 409)) throw error;
      }
    }
  }

  async reputations(): Promise<{ name: string; profile: Profile; reputationBps: number; stake: string; standing: string; payable: number }[]> {
    const out = [];
    for (const agent of this.agents) {
      const me = await agent.client.me();
      const rewards = await agent.client.rewards();
      out.push({ name: agent.name, profile: agent.profile, reputationBps: me.reputationBps, stake: me.stake, standing: me.standing, payable: rewards.payable });
    }
    return out;
  }

  start(): void {
    const pollMs = this.options.pollMs ?? 1_000;
    const loop = async () => {
      if (this.ticking) return;
      this.ticking = true;
      try {
        await this.tick();
      } finally {
        this.ticking = false;
      }
    };
    this.timer = setInterval(() => void loop(), pollMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
