// Flags: every flag of the registry with a typed input read from its type
// (boolean → checkbox, `integer a..b` → number within bounds, a union of
// strings → choice); saving or restoring the default is confirmed.
import { useId, useState } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { DataTable } from "../ui/DataTable";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import { ResourceView, useResource } from "../ui/useResource";

type Flag = Awaited<ReturnType<typeof operatorConsoleApi.flags>>["flags"][number];
type FlagInput = { kind: "boolean" } | { kind: "integer"; min?: number; max?: number } | { kind: "choice"; options: string[] } | { kind: "text" };

/** The input a flag's rendered type asks for. */
export function flagInput(type: string, value: unknown): FlagInput {
  if (type === "boolean" || typeof value === "boolean") return { kind: "boolean" };
  const range = /^integer(?:\s+(-?\d+)\.\.(-?\d+))?/.exec(type);
  if (range) return { kind: "integer", ...(range[1] !== undefined ? { min: Number(range[1]), max: Number(range[2]) } : {}) };
  const options = [...type.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  if (options.length > 0 && /^\s*"[^"]*"(\s*\|\s*"[^"]*")*\s*$/.test(type)) return { kind: "choice", options };
  if (typeof value === "number") return { kind: "integer" };
  return { kind: "text" };
}

const show = (v: unknown) => (typeof v === "boolean" ? (v ? "on" : "off") : String(v));

export function FlagsScreen({ credential }: { credential: Credential }) {
  const list = useResource(() => operatorConsoleApi.flags(credential), [credential]);
  const action = useConfirmedAction(() => list.reload());
  const [editing, setEditing] = useState<Flag | null>(null);
  return (
    <>
      {action.outcome}
      <ResourceView resource={list} what="flags">
        {(data) => (
          <DataTable
            caption="Flags"
            rows={data.flags}
            rowKey={(f) => f.key}
            rowProps={(f) => ({ "data-flag": f.key })}
            pageSize={25}
            empty="The registry has no flags."
            columns={[
              { header: "Flag", rowHeader: true, cell: (f) => <code>{f.key}</code>, text: (f) => `${f.key} ${f.description}` },
              { header: "Value", cell: (f) => <strong className="flag-value">{show(f.value)}</strong>, text: (f) => show(f.value) },
              { header: "Default", cell: (f) => (f.overridden ? show(f.default) : "(default)") },
              { header: "Type", cell: (f) => <code>{f.type}</code>, text: (f) => f.type },
              { header: "Meaning", cell: (f) => f.description },
              {
                header: "Action",
                cell: (f) => (
                  <button type="button" className="secondary" aria-label={`Edit ${f.key}`} onClick={() => setEditing(f)}>
                    Edit
                  </button>
                ),
              },
            ]}
          />
        )}
      </ResourceView>
      {editing && (
        <FlagEditor
          key={editing.key}
          flag={editing}
          onCancel={() => setEditing(null)}
          onSave={(value) =>
            action.ask({
              title: value === null ? `Restore the default of ${editing.key}?` : `Set ${editing.key} to ${show(value)}?`,
              message: <p>Every API and worker process follows the change within seconds. {editing.description}</p>,
              confirmLabel: value === null ? "Restore default" : "Save flag",
              failure: "Flag not changed",
              run: async () => {
                const saved = await operatorConsoleApi.setFlag(credential, editing.key, value);
                setEditing(null);
                return `${saved.key} is now ${show(saved.value)}${saved.overridden ? "" : " (default)"}.`;
              },
            })
          }
        />
      )}
      {action.dialog}
    </>
  );
}

function FlagEditor({ flag, onSave, onCancel }: { flag: Flag; onSave: (value: boolean | number | string | null) => void; onCancel: () => void }) {
  const id = useId();
  const input = flagInput(flag.type, flag.value);
  const [text, setText] = useState(String(flag.value));
  const [checked, setChecked] = useState(flag.value === true);
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    if (input.kind === "boolean") return onSave(checked);
    if (input.kind === "integer") {
      if (!/^-?\d+$/.test(text.trim())) return setError("Enter a whole number.");
      const n = Number(text.trim());
      if ((input.min !== undefined && n < input.min) || (input.max !== undefined && n > input.max)) return setError(`Enter a number from ${input.min} to ${input.max}.`);
      return onSave(n);
    }
    return onSave(text);
  };
  return (
    <form
      className="operator-form"
      noValidate
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        save();
      }}
    >
      <h3 id={`${id}-title`}>
        Edit <code>{flag.key}</code>
      </h3>
      <p className="muted">{flag.description}</p>
      {input.kind === "boolean" ? (
        <div className="switch">
          <input id={`${id}-value`} type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
          <label htmlFor={`${id}-value`} className="inline">
            {flag.key} on
          </label>
        </div>
      ) : input.kind === "choice" ? (
        <>
          <label htmlFor={`${id}-value`}>New value of {flag.key}</label>
          <select id={`${id}-value`} value={text} onChange={(e) => setText(e.target.value)}>
            {input.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </>
      ) : (
        <>
          <label htmlFor={`${id}-value`}>New value of {flag.key}</label>
          <input
            id={`${id}-value`}
            {...(input.kind === "integer" ? { type: "number", step: 1, ...(input.min !== undefined ? { min: input.min, max: input.max } : {}) } : {})}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby={`${id}-type`}
          />
          <p id={`${id}-type`} className="muted hint">
            Type: {flag.type}
          </p>
        </>
      )}
      <div className="row wrap">
        <button type="submit">Save…</button>
        {flag.overridden && (
          <button type="button" className="secondary" onClick={() => onSave(null)}>
            Restore default ({show(flag.default)})…
          </button>
        )}
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          Not saved: {error} Then save again.
        </p>
      )}
    </form>
  );
}
