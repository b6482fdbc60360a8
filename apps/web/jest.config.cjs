// jest --outputFile does not create its directory; the workspace's `npm test` writes .test-results/jest.json.
require("node:fs").mkdirSync(require("node:path").join(__dirname, ".test-results"), { recursive: true });

const preset = require("../../jest.preset.cjs");

module.exports = {
  ...preset,
  rootDir: __dirname,
  // Browser tests build the app and start Chromium: give them room on a 2-core CI machine.
  testTimeout: 120_000,
  // test/real-api.browser.test.ts uses the platform, whose otplib dependency ships ESM (as in apps/api and apps/cli).
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace("(@nestjs|", "(@otplib|otplib|@nestjs|")],
};
