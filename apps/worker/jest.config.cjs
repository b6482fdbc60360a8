// jest --outputFile does not create its directory; `npm test` writes .test-results/jest.json.
require("node:fs").mkdirSync(require("node:path").join(__dirname, ".test-results"), { recursive: true });

const preset = require("../../jest.preset.cjs");
// @assay/platform pulls in otplib, whose ESM dependencies must be transformed too
// (same pattern as packages/platform/jest.config.cjs).
module.exports = {
  ...preset,
  rootDir: __dirname,
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace("(@nestjs|", "(@otplib|otplib|@nestjs|")],
  // The multi-process scale-out test (2 and 4 worker processes) is not yet green on a loaded
  // machine (docs/decisions/0026, "Open"): it runs with `npm run test:scale-out`, not in `npm test`.
  testPathIgnorePatterns: ["/node_modules/", ...(process.env.ASSAY_SCALE_OUT_TEST === "1" ? [] : ["/test/scale-out\\.test\\.ts$"])],
};
