// The verify page's reading of the public lookup with the chain on: the anchor
// check is the server's chain reading (anchorState), the proof block comes from
// the document.
import { proofOf, readLookup } from "../src/verify/lookup";

const tx = `0x${"ab".repeat(32)}`;
const root = `0x${"cd".repeat(32)}`;
const node = `0x${"ef".repeat(32)}`;

test("anchorState wins over the document's proof block, which is kept as the proof", () => {
  const response = {
    id: "0x1",
    payload: {},
    jws: "a.b.c",
    anchor: { root, proof: [node], tx, block: 9, chainId: 31337, registry: "0x5fbdb2315678afecb367f032d93f642f64180aa3" },
    status: { state: "active" },
    anchorState: { state: "anchored", block: 9, tx },
  };
  const state = readLookup(response);
  expect(state.anchor).toEqual({ state: "anchored", block: 9, tx });
  expect(state.proof).toEqual({ root, proof: [node], chainId: 31337, registry: "0x5fbdb2315678afecb367f032d93f642f64180aa3" });
  expect((state.document as { anchor: unknown }).anchor).toEqual(response.anchor);
});

test("pending and a chain that could not be read are shown as reported; malformed proofs are not shown", () => {
  expect(readLookup({ id: "0x1", payload: {}, jws: "a.b.c", status: "active", anchorState: { state: "pending" } }).anchor).toEqual({ state: "pending" });
  expect(readLookup({ id: "0x1", payload: {}, jws: "a.b.c", status: "active", anchorState: { state: "failed", error: "could not read the chain" } }).anchor).toEqual({
    state: "failed",
    error: "could not read the chain",
  });
  expect(proofOf({ root, proof: ["nope"] })).toBeNull();
  expect(proofOf({ root: "0x12", proof: [] })).toBeNull();
  expect(proofOf(null)).toBeNull();
});
