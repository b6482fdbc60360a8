// Chain settings and the pure pieces of anchoring: configuration checks, the
// stored-anchor parser verify relies on, revocation reason codes, backoff.
import { anchorBackoffMs, ConfigError, loadConfig, parseStoredAnchor, revocationReasonCode, revocationReasonName } from "../src";

const ADDRESSES = {
  ASSAY_CHAIN_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  ASSAY_CHAIN_VALIDATOR_REGISTRY: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  ASSAY_CHAIN_TREASURY: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
};

describe("chain configuration", () => {
  it("needs the three registry addresses when the flag is on, naming each missing one", () => {
    try {
      loadConfig({ ASSAY_CHAIN_ENABLED: "true" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(["ASSAY_CHAIN_REGISTRY", "ASSAY_CHAIN_VALIDATOR_REGISTRY", "ASSAY_CHAIN_TREASURY"]);
    }
  });

  it("reads the chain settings with their defaults", () => {
    const config = loadConfig({ ASSAY_CHAIN_ENABLED: "true", ...ADDRESSES, ASSAY_CHAIN_DEPLOYED_AT_BLOCK: "3" });
    expect(config.flags.chainEnabled).toBe(true);
    expect(config.chain).toEqual({
      rpcUrl: "http://127.0.0.1:8545",
      addresses: { certificateRegistry: ADDRESSES.ASSAY_CHAIN_REGISTRY, validatorRegistry: ADDRESSES.ASSAY_CHAIN_VALIDATOR_REGISTRY, treasury: ADDRESSES.ASSAY_CHAIN_TREASURY },
      deployedAtBlock: 3,
      privateKey: undefined,
      anchorBatchMax: 256,
      anchorIntervalMs: 2000,
      confirmations: 1,
      weiPerCredit: 1_000_000_000_000n,
    });
    expect(loadConfig({}).chain.addresses).toBeNull();
  });

  it.each([
    ["ASSAY_CHAIN_REGISTRY", "0x1234"],
    ["ASSAY_CHAIN_PRIVATE_KEY", "0xnot-a-key"],
    ["ASSAY_CHAIN_RPC_URL", "ftp://chain"],
    ["ASSAY_ANCHOR_BATCH_MAX", "100000"],
    ["ASSAY_CHAIN_WEI_PER_CREDIT", "0"],
  ])("refuses %s=%s naming it", (variable, value) => {
    expect(() => loadConfig({ ...ADDRESSES, [variable]: value })).toThrow(variable);
  });
});

describe("stored anchors", () => {
  const good = { chainId: 31337, registry: ADDRESSES.ASSAY_CHAIN_REGISTRY, root: `0x${"a".repeat(64)}`, proof: [`0x${"b".repeat(64)}`], tx: `0x${"c".repeat(64)}`, block: 7 };
  it("parses a complete anchor and nothing less", () => {
    expect(parseStoredAnchor(good)).toEqual(good);
    expect(parseStoredAnchor(null)).toBeNull();
    expect(parseStoredAnchor({ state: "pending" })).toBeNull();
    expect(parseStoredAnchor({ ...good, proof: ["0x12"] })).toBeNull();
    expect(parseStoredAnchor({ ...good, root: "0x12" })).toBeNull();
    expect(parseStoredAnchor({ ...good, block: "7" })).toBeNull();
  });
});

describe("revocation reason codes", () => {
  it("maps known reasons to their codes and back; anything else is 0 (unspecified)", () => {
    expect(revocationReasonCode("key_compromise")).toBe(1);
    expect(revocationReasonCode("audit_invalidated")).toBe(100);
    expect(revocationReasonCode("something_new")).toBe(0);
    expect(revocationReasonCode(null)).toBe(0);
    expect(revocationReasonName(1)).toBe("key_compromise");
    expect(revocationReasonName(4242)).toBe("code 4242");
  });
});

describe("anchor backoff", () => {
  it("doubles from 1 s and stops at 60 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(anchorBackoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });
});
