import { createRequire } from "node:module";
import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { defineConfig } from "hardhat/config";

// The compiler comes from the npm `solc` package so builds never download a
// compiler (the network is npm-only); its version must match the pragma.
const require = createRequire(import.meta.url);
const soljsonPath = require.resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin],
  solidity: {
    version: "0.8.37",
    path: soljsonPath,
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
    },
  },
  paths: {
    tests: {
      nodejs: "test/nodejs",
      solidity: "test/solidity",
    },
  },
  test: {
    solidity: {
      fuzz: { runs: 256 },
    },
  },
});
