// The API's response views and its one error shape (request bodies sit beside
// the domain schemas they validate: validators, beacon, pricing, ...).
export * from "./errors";
export * from "./common";
export * from "./public";
export * from "./registry";
export * from "./developer";
export * from "./agent";
export * from "./operator";
export * from "./money";
export * from "./requests";
export * from "./renewals";
export * from "./assembly-record";
