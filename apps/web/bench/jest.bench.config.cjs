// `npm run bench -w @assay/web`: the bench runs under jest (the web package is an
// ES module package; the test support it shares is compiled to CommonJS by jest).
const base = require("../jest.config.cjs");

module.exports = { ...base, rootDir: require("node:path").join(__dirname, ".."), testMatch: ["<rootDir>/bench/**/*.bench.ts"], testTimeout: 900_000 };
