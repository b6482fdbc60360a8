// jest --outputFile does not create its directory; the workspace's `npm test` writes .test-results/jest.json.
require("node:fs").mkdirSync(require("node:path").join(__dirname, ".test-results"), { recursive: true });

// Browser tests build the app and start Chromium: give them room on a 2-core CI machine.
module.exports = { ...require("../../jest.preset.cjs"), rootDir: __dirname, testTimeout: 120_000 };
