// Shared jest settings: TypeScript via SWC (CommonJS output, decorator metadata for
// NestJS), and ESM-only dependencies transformed too (jest cannot require ESM).
module.exports = {
  testEnvironment: "node",
  transform: {
    "^.+\\.(t|j|mj)sx?$": [
      "@swc/jest",
      {
        jsc: {
          target: "es2022",
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: "commonjs" },
      },
    ],
  },
  transformIgnorePatterns: ["/node_modules/(?!(@nestjs|nestjs-zod|canonicalize|jose|commander|@noble|@scure|viem|ox|abitype|@openzeppelin|@otplib|otplib|eventsource-parser)/)"],
  moduleFileExtensions: ["ts", "tsx", "js", "mjs", "cjs", "json"],
  testMatch: ["<rootDir>/test/**/*.test.ts", "<rootDir>/src/**/*.test.ts"],
};
