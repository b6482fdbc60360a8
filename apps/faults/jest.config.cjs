// jest --outputFile does not create its directory; `npm test` writes .test-results/jest.json.
require("node:fs").mkdirSync(require("node:path").join(__dirname, ".test-results"), { recursive: true });

const preset = require("../../jest.preset.cjs");
// @assay/platform pulls in otplib, whose ESM dependencies must be transformed too.
module.exports = {
  ...preset,
  rootDir: __dirname,
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace("(@nestjs|", "(@otplib|otplib|@nestjs|")],
};
