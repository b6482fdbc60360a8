// Test support for the chain integration: a real `npx hardhat node` (the chain
// package's helper), the registry deployed on it, an RPC proxy that can be taken
// down and brought back on the same port (the chain "stops" without losing its
// state), raw JSON-RPC calls (automine, mine, drop a transaction), and
// certificates issued the way the certificate job issues them (document + anchor
// outbox event).
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { deployRegistry, type DeployedRegistry } from "@assay/chain";
import { ANCHOR_TOPIC, anchorDedupeKey, samplePackedRuntime, sampleUnsignedCertificate, type JobPublisher, type Platform } from "@assay/platform";
import type { CertificateDocument } from "@assay/protocol";
import { DEV_KEYS, startHardhatNode, type HardhatNode } from "../../../packages/chain/test/hardhat-node";

export { DEV_KEYS, startHardhatNode, type HardhatNode };

export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** A JSON-RPC proxy in front of the node: down() refuses connections, up() serves again on the same port. */
export class RpcProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.forward(req, res));
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const answer = await fetch(this.target, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.destroy();
    }
  }
}

export type TestChain = { node: HardhatNode; deployed: DeployedRegistry; proxy: RpcProxy; env: Record<string, string>; stop(): Promise<void> };

/** A node with the registry deployed, behind a proxy, and the environment that points the platform at it. */
export async function startTestChain(extraEnv: Record<string, string> = {}): Promise<TestChain> {
  const node = await startHardhatNode();
  const deployed = await deployRegistry({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[0] });
  const proxy = new RpcProxy(node.rpcUrl);
  await proxy.up();
  return {
    node,
    deployed,
    proxy,
    env: {
      ASSAY_CHAIN_ENABLED: "true",
      ASSAY_CHAIN_RPC_URL: proxy.url,
      ASSAY_CHAIN_REGISTRY: deployed.certificateRegistry,
      ASSAY_CHAIN_VALIDATOR_REGISTRY: deployed.validatorRegistry,
      ASSAY_CHAIN_TREASURY: deployed.treasury,
      ASSAY_CHAIN_DEPLOYED_AT_BLOCK: String(deployed.deployedAtBlock),
      ASSAY_CHAIN_PRIVATE_KEY: DEV_KEYS[0],
      ASSAY_ANCHOR_INTERVAL_MS: "200",
      ...extraEnv,
    },
    async stop() {
      await proxy.down();
      await node.stop();
    },
  };
}

/** A publisher that keeps jobs out of Redis: these tests issue certificates directly, no audit must run. */
export const NO_QUEUE: JobPublisher = {
  publish: () => Promise.reject(new Error("queues are not used in this test")),
  ping: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};

/** Issues certificates as the certificate job does: signed document stored, then its anchor outbox event. */
export async function issueCertificates(platform: Platform, developerId: string, count: number): Promise<CertificateDocument[]> {
  const documents: CertificateDocument[] = [];
  for (let i = 0; i < count; i += 1) {
    const sub = await platform.submissions.create(developerId, samplePackedRuntime({ entrySource: `export const v = "${randomBytes(8).toString("hex")}";` }));
    // The audit is not part of these tests: its job is recorded as done so no relay sends it to a worker.
    await platform.db.outboxEvent.updateMany({ where: { topic: "audit", status: "pending" }, data: { status: "dispatched" } });
    await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
    await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
    const document = await platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
    await platform.store.repos.outbox.add({ topic: ANCHOR_TOPIC, payload: { certificateId: document.id }, dedupeKey: anchorDedupeKey(document.id) });
    documents.push(document);
  }
  return documents;
}
