// Request schemas of the API (params, queries, small bodies) live in
// @assay/protocol (one definition for server, CLI and web); re-exported here
// for the controllers.
export {
  ApiKeyIdParams,
  CertificateIdParams,
  CertificateStatusBody,
  CreateApiKeyBody,
  OperatorLoginBody,
  SubmissionIdParams,
  SubmissionListQuery,
  VerifyBody,
} from "@assay/protocol";
