// One-line logs on stdout (the launcher prefixes each process's lines):
// `<time> <level> <message> key=value ...`.
import type { JobLog } from "../jobs/handler";

const ORDER = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof ORDER;

export function lineLogger(minimum: LogLevel, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): JobLog {
  return (level, message, fields = {}) => {
    if (ORDER[level] < ORDER[minimum]) return;
    const pairs = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v)}`);
    write([new Date().toISOString(), level, message, ...pairs].join(" "));
  };
}
