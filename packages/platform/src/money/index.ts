// Money (issue 9, docs/money.md): the credits ledger, pricing and charges.
export * from "./accounts";
export * from "./ledger";
export * from "./ledger-repository";
export * from "./ledger-service";
