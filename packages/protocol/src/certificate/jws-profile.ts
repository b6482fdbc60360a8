// The JWS profile of a certificate: compact serialisation, EdDSA over Ed25519,
// protected header exactly {alg, kid, typ}, payload = JCS bytes of the payload.
export const CERTIFICATE_ALG = "EdDSA";
export const CERTIFICATE_JWS_TYP = "assay-certificate+jws";
