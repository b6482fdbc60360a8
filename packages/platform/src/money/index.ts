// Money (issue 9, docs/money.md): the credits ledger, pricing and charges.
export * from "./accounts";
export * from "./ledger";
export * from "./ledger-repository";
export * from "./ledger-service";
export * from "./quote";
export * from "./default-catalogue";
export * from "./pricing-repository";
export * from "./pricing-service";
export * from "./charge-service";
export * from "./voucher-repository";
export * from "./voucher-service";
export * from "./payment-methods";
export * from "./deposit-repository";
export * from "./deposit-service";
export * from "./deposit-indexer";
