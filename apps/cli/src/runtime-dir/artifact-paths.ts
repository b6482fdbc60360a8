// The packing rule is shared with the platform, so it lives in @assay/protocol.
export { artifactEntryPath } from "@assay/protocol";
