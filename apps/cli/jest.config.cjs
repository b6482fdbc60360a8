// jest --outputFile does not create its directory; the workspace's `npm test` writes .test-results/jest.json.
require("node:fs").mkdirSync(require("node:path").join(__dirname, ".test-results"), { recursive: true });

const preset = require("../../jest.preset.cjs");

module.exports = {
  ...preset,
  rootDir: __dirname,
  // test/real-api.test.ts loads the API and the platform, whose otplib dependency
  // ships ESM (as in apps/api's jest config).
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace("(@nestjs|", "(@otplib|otplib|@nestjs|")],
};
