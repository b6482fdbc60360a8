// The verify page reads the CertificateRegistry with four hand-written
// signatures (apps/web may import only @assay/protocol); they must stay the
// generated ABI's (packages/chain/src/abi, from the Hardhat artifact).
import { certificateRegistryAbi } from "@assay/chain";
import { parseAbi, toFunctionSignature, toEventSignature, type AbiEvent, type AbiFunction } from "viem";
import { REGISTRY_READ_SIGNATURES } from "../src/verify/chain-anchor";

const shape = (item: { type: string; name?: string; inputs?: readonly unknown[]; outputs?: readonly unknown[] }) =>
  item.type === "event" ? toEventSignature(item as AbiEvent) : item.type === "function" ? `${toFunctionSignature(item as AbiFunction)}→${JSON.stringify(types((item as AbiFunction).outputs))}` : `${item.type} ${item.name}(${JSON.stringify(types(item.inputs as never))})`;
const types = (params: readonly { type: string; components?: readonly unknown[] }[] = []): unknown[] => params.map((p) => (p.components ? [p.type, types(p.components as never)] : p.type));

test("each signature the browser uses is in the registry's generated ABI, with the same types", () => {
  for (const item of parseAbi(REGISTRY_READ_SIGNATURES)) {
    const generated = (certificateRegistryAbi as readonly { type: string; name?: string }[]).filter((g) => g.type === item.type && g.name === (item as { name?: string }).name);
    expect(generated.map(shape)).toContain(shape(item as never));
  }
});
