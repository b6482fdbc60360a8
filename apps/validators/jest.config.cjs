// jest --outputFile does not create its directory; `npm test` writes .test-results/jest.json.
require("node:fs").mkdirSync(require("node:path").join(__dirname, ".test-results"), { recursive: true });

const preset = require("../../jest.preset.cjs");
// The end-to-end test starts the API (NestJS) and the worker in-process: otplib's ESM dependencies must be transformed too.
module.exports = {
  ...preset,
  rootDir: __dirname,
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace("(@nestjs|", "(@otplib|otplib|@nestjs|")],
};
