// `assay certificate <id>`: the certificate document `{ id, payload, jws, anchor? }`
// by certificate id (public lookup) or by submission id (developer plane).
import { ApiNegativeResultError, ApiNotFoundError, documentOfLookup, type AssayApi } from "../api";
import type { ParsedId } from "./ids";

export async function fetchCertificateDocument(api: AssayApi, target: ParsedId): Promise<Record<string, unknown>> {
  if (target.kind === "certificate") return documentOfLookup(await api.publicCertificate(target.id));
  try {
    return documentOfLookup(await api.submissionCertificate(target.id));
  } catch (error) {
    // The submission exists but has no certificate: a negative result (exit 1), not a bad id.
    if (error instanceof ApiNotFoundError && error.serverCode === "certificate_not_found") {
      const submission = await api.submission(target.id);
      throw new ApiNegativeResultError(`submission ${target.id} has no certificate: it is ${submission.status}${submission.outcome ? ` (${submission.outcome.code})` : ""}`);
    }
    throw error;
  }
}
