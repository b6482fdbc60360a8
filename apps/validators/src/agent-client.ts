// One validator agent speaking the agent plane over HTTP like any external
// client: its own Ed25519 key, activation, challenge → token (re-authenticating
// when the short-lived token expires), assignments, evidence, commit, reveal.
import { voteCommitment, type Vote } from "@assay/assembly";
import { BeaconWindowsSchema, ValidatorRewardsSchema, type BeaconContributionBody, type BeaconWindow, type ValidatorRewards } from "@assay/protocol";
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

export class AgentHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

export type Assignment = {
  assemblyId: string;
  submissionId: string;
  round: number;
  phase: "review" | "commit" | "reveal" | "tally" | "closed";
  committed: boolean;
  revealed: boolean;
};

export class AgentClient {
  readonly publicKey: string;
  private readonly privateKey: KeyObject;
  private token: { value: string; expiresAt: number } | null = null;
  validatorId: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
    /** A stored key (PKCS#8 PEM) to act as the same validator across restarts; a fresh key otherwise. */
    privateKeyPem?: string,
  ) {
    const privateKey = privateKeyPem ? createPrivateKey(privateKeyPem) : generateKeyPairSync("ed25519").privateKey;
    this.publicKey = (createPublicKey(privateKey).export({ format: "jwk" }) as { x: string }).x;
    this.privateKey = privateKey;
  }

  /** The private key as PKCS#8 PEM, for the caller to keep. */
  privateKeyPem(): string {
    return this.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  }

  private async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (auth) headers.authorization = `Bearer ${await this.bearer()}`;
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const data = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      const error = (data as { error?: { code?: string; message?: string }; code?: string; message?: string } | null) ?? {};
      const code = error.error?.code ?? error.code ?? "http_error";
      if (response.status === 401 && auth) this.token = null;
      throw new AgentHttpError(response.status, code, error.error?.message ?? error.message ?? text.slice(0, 200));
    }
    return data as T;
  }

  /**
   * Activates this key as a validator; a key activated before is simply signed in.
   * Signing in is tried first: activations are rate-limited per client address
   * (docs/decisions/0012), and a restart with stored keys should not spend them.
   */
  async activate(input: { stake: string; kind: "person" | "agent"; modelFamily?: string; name?: string }): Promise<string> {
    try {
      await this.bearer();
      return this.validatorId!;
    } catch (error) {
      if (!(error instanceof AgentHttpError && error.code === "validator_not_found")) throw error;
    }
    try {
      const v = await this.call<{ id: string }>("POST", "/v1/agent/activate", { publicKey: this.publicKey, ...input }, false);
      this.validatorId = v.id;
      return v.id;
    } catch (error) {
      if (!(error instanceof AgentHttpError && error.code === "validator_exists")) throw error;
      await this.bearer();
      return this.validatorId!;
    }
  }

  /** Signs a fresh challenge and keeps the token until shortly before it expires. */
  private async bearer(): Promise<string> {
    if (this.token && this.token.expiresAt - Date.now() > 30_000) return this.token.value;
    const challenge = await this.call<{ nonce: string; message: string }>("POST", "/v1/agent/challenge", { publicKey: this.publicKey }, false);
    const signature = sign(null, Buffer.from(challenge.message, "utf8"), this.privateKey).toString("base64url");
    const issued = await this.call<{ token: string; expiresAt: string; validatorId: string }>("POST", "/v1/agent/token", { nonce: challenge.nonce, signature }, false);
    this.token = { value: issued.token, expiresAt: Date.parse(issued.expiresAt) };
    this.validatorId = issued.validatorId;
    return issued.token;
  }

  me() {
    return this.call<{ id: string; stake: string; reputationBps: number; standing: string }>("GET", "/v1/agent/me");
  }

  /** The validator's rewards in credits (GET /v1/agent/rewards), parsed with the protocol's schema. */
  async rewards(): Promise<ValidatorRewards> {
    return ValidatorRewardsSchema.parse(await this.call<unknown>("GET", "/v1/agent/rewards"));
  }

  async assignments(): Promise<Assignment[]> {
    return (await this.call<{ assignments: Assignment[] }>("GET", "/v1/agent/assignments")).assignments;
  }

  evidence(assemblyId: string) {
    return this.call<unknown>("GET", `/v1/agent/assemblies/${assemblyId}/evidence`);
  }

  /** Assemblies collecting draw-beacon contributions (empty until this validator is admitted). */
  async beacons(): Promise<BeaconWindow[]> {
    return BeaconWindowsSchema.parse(await this.call<unknown>("GET", "/v1/agent/beacons")).beacons;
  }

  /** Contributes 32 fresh random bytes to an assembly's draw beacon (docs/decisions/0009); returns the value sent. */
  async contributeBeacon(assemblyId: string): Promise<string> {
    const value = `0x${randomBytes(32).toString("hex")}`;
    await this.call("POST", `/v1/agent/assemblies/${assemblyId}/beacon`, { value } satisfies BeaconContributionBody);
    return value;
  }

  /** Commits a vote; returns the salt to reveal it with (kept by the caller). */
  async commit(assemblyId: string, round: number, vote: Vote): Promise<string> {
    const salt = `0x${randomBytes(32).toString("hex")}`;
    const commitment = voteCommitment({ ...vote, assemblyId, round, validatorId: this.validatorId!, salt });
    await this.call("POST", "/v1/agent/commit", { assemblyId, round, commitment });
    return salt;
  }

  async reveal(assemblyId: string, round: number, vote: Vote, salt: string): Promise<void> {
    await this.call("POST", "/v1/agent/reveal", { ...vote, assemblyId, round, salt });
  }
}
