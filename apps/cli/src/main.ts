import { Command } from "commander";
const p = new Command("assay");
p.command("x").action(async () => { const m = await import("./probe"); console.log(m.v); });
p.parseAsync(process.argv);
