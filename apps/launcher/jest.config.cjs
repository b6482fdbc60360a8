const preset = require("../../jest.preset.cjs");
// @assay/platform pulls in otplib, whose ESM dependencies must be transformed too.
module.exports = {
  ...preset,
  rootDir: __dirname,
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace("(@nestjs|", "(@otplib|otplib|@nestjs|")],
};
