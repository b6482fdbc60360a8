// jest --outputFile does not create its directory; the workspace's `npm test` writes .test-results/jest.json.
require("node:fs").mkdirSync(require("node:path").join(__dirname, ".test-results"), { recursive: true });

module.exports = { ...require("../../jest.preset.cjs"), rootDir: __dirname };
