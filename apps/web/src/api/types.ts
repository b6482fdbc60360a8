// Shapes of API responses as the app reads them. Certificate and report types
// come from @assay/protocol; the rest mirror the platform's views (SPEC §11).
import type { CertificateVerifyResult } from "@assay/protocol";

export type DiscoveryDocument = {
  apiBase?: string;
  api?: string;
  jwks?: string;
  jwksUri?: string;
  chainId?: number | null;
  registry?: string | null;
  registryAddress?: string | null;
  suites?: unknown[];
  issuer?: string | { id: string };
  issuers?: string[];
  [key: string]: unknown;
};

export type Jwks = { keys: Record<string, unknown>[] };

export type ServerStatus = { state: string; reason?: string | null };

/**
 * GET /v1/public/certificates/:id: the document plus status. Read loosely
 * (document nested or flattened) and validated with the protocol's schemas
 * where it matters, in lookup.ts.
 */
export type CertificateLookupResponse = Record<string, unknown>;

export type VerifyResponse = CertificateVerifyResult;

export type SubmissionStatus = "received" | "auditing" | "in_assembly" | "certified" | "rejected" | "failed";

export type SubmissionProgress = {
  scenariosTotal?: number;
  scenariosCompleted?: number;
  currentScenario?: string | null;
  turnsCompleted?: number;
  currentTurn?: number;
  currentTurnsTotal?: number;
  reportedDiBps?: number | null;
  measuredDiBps?: number | null;
  assemblyRound?: number;
};

export type SubmissionView = {
  id: string;
  status: SubmissionStatus;
  runtime: { name: string; version: string };
  subjectDigest: string;
  suite: string;
  seed: number;
  progress: SubmissionProgress;
  outcome: { code: string; message: string | null } | null;
  certificateId: string | null;
  createdAt: string;
  updatedAt: string;
};

export type SubmissionPage = { items: SubmissionView[]; nextCursor: string | null };

export type OpenApiDocument = { paths: Record<string, Record<string, unknown>>; info?: { title?: string } };
