// The local development node (`hardhat node`, started by the launcher): its test-only RPC methods,
// through viem's test client rather than hand-written JSON-RPC.
import { createTestClient, http } from "viem";

/**
 * Turns the node's log of every JSON-RPC request on or off (`hardhat_setLoggingEnabled`).
 * Development nodes only: a real chain has no such method and the call fails.
 */
export async function setDevNodeLogging(rpcUrl: string, enabled: boolean): Promise<void> {
  const client = createTestClient({ mode: "hardhat", transport: http(rpcUrl, { timeout: 5_000, retryCount: 0 }) });
  await client.setLoggingEnabled(enabled);
}
