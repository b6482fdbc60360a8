// Revocation reasons on chain are a uint16; in the platform they are snake_case
// strings chosen by the operator. The first codes follow RFC 5280's CRLReason
// numbering (a vocabulary verifiers already know); Assay's own reasons start at
// 100; any other string is recorded on chain as 0 (unspecified) and stays
// readable, as given, in the platform's status history.
export const REVOCATION_REASON_CODES: Readonly<Record<string, number>> = {
  unspecified: 0,
  key_compromise: 1,
  ca_compromise: 2,
  affiliation_changed: 3,
  superseded: 4,
  cessation_of_operation: 5,
  certificate_hold: 6,
  privilege_withdrawn: 9,
  audit_invalidated: 100,
  assembly_overturned: 101,
  misrepresentation: 102,
  operator_decision: 103,
  developer_request: 104,
  /** validUntil passed (the expiry sweep): the registry has no expiry of its own for batch members, so expiry is mirrored as a revocation. */
  expired: 105,
};

/** The on-chain reason code of a platform reason string (0 when it has no code of its own). */
export function revocationReasonCode(reason: string | null | undefined): number {
  return reason ? (REVOCATION_REASON_CODES[reason] ?? 0) : 0;
}

/** The platform reason string of an on-chain code, or `code <n>` when there is none. */
export function revocationReasonName(code: number): string {
  const found = Object.entries(REVOCATION_REASON_CODES).find(([, value]) => value === code);
  return found ? found[0] : `code ${code}`;
}
