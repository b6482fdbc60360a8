// `npm run gas -w contracts [-- --json]`: prints the registry's gas figures (gas units from receipts).
import { measureGas } from "./gas-figures.ts";

const { figures } = await measureGas();
if (process.argv.includes("--json")) {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  for (const [name, gas] of Object.entries(figures)) console.log(`${name.padEnd(24)} ${gas.toLocaleString("en-US")} gas`);
}
