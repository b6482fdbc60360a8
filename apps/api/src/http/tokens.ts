// DI token for the platform (explicit @Inject everywhere: DI does not depend on
// emitted decorator metadata, so any TypeScript runner works; docs/decisions/0006).
export const PLATFORM = Symbol("assay.platform");
