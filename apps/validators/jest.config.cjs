// jest --outputFile does not create its directory; `npm test` writes .test-results/jest.json.
require("node:fs").mkdirSync(require("node:path").join(__dirname, ".test-results"), { recursive: true });

const preset = require("../../jest.preset.cjs");
module.exports = { ...preset, rootDir: __dirname };
