const preset = require("../../jest.preset.cjs");
// otplib's ESM dependencies (@otplib/*) must be transformed too; the lead may
// fold this into the root preset.
module.exports = {
  ...preset,
  rootDir: __dirname,
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace("(@nestjs|", "(@otplib|otplib|@nestjs|")],
  testTimeout: 20_000,
};
