// The public development secrets every install used before decision 0013. They
// live only here, so regression tests can prove that a token signed with them,
// or a secret sealed with them, opens nothing on an install with generated
// secrets. Never use them to configure anything.
export const LEGACY_DEV_SESSION_SECRET = "assay-development-session-secret-not-for-production";
export const LEGACY_DEV_KEY_ENCRYPTION_SECRET = "assay-development-key-encryption-secret-not-for-production";
