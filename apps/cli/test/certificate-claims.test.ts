import { claimsLines, claimsView } from "../src/certificates/claims-view";
import { certificatePayload } from "./fake-api";

const hex = (c: string) => `0x${c.repeat(64)}`;

describe("claimsView", () => {
  const v2 = { id: hex("1"), payload: certificatePayload("kid", hex("a")), jws: "a.b.c" };

  it("shows the granted and the withheld claims of a v2 certificate", () => {
    const view = claimsView(v2)!;
    expect(view.granted).toEqual(["SRIP-03", "SRIP-05"]);
    expect(claimsLines(view)).toEqual([
      "claims granted      SRIP-03, SRIP-05",
      "claims not granted  SRIP-13 (not-evidenced: ALIAS_SCOPE_LEAK, SESSION_LEAK)",
    ]);
    const none = claimsView({ ...v2, payload: { ...v2.payload, claimsNotGranted: [] } })!;
    expect(claimsLines(none)[1]).toBe("claims not granted  none");
  });

  it("says a legacy v1 certificate does not record withheld claims", () => {
    const { claimsNotGranted: _dropped, ...rest } = v2.payload;
    const view = claimsView({ ...v2, payload: { ...rest, format: "assay.certificate/v1" } })!;
    expect(view.notGranted).toBeNull();
    expect(claimsLines(view)[1]).toBe("claims not granted  unknown (assay.certificate/v1 does not record them)");
  });

  it("shows nothing from a payload that does not parse", () => {
    expect(claimsView({ ...v2, payload: { ...v2.payload, claims: [] } })).toBeNull();
    expect(claimsView(null)).toBeNull();
    expect(claimsView({ payload: { format: "assay.certificate/v9" } })).toBeNull();
  });
});
