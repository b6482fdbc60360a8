import { useId, useState, type FormEvent } from "react";

/** Asks for an API key (shown once by `assay`/the API when it was created). */
export function ApiKeyForm({ onSave }: { onSave: (key: string) => void }) {
  const id = useId();
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const key = value.trim();
    if (key === "") {
      setProblem("Paste an API key first.");
      return;
    }
    onSave(key);
  };
  return (
    <form onSubmit={submit} className="key-form" noValidate>
      <label htmlFor={id}>API key</label>
      <div className="row">
        <input
          id={id}
          type="password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="ak_…"
          aria-describedby={`${id}-help`}
        />
        <button type="submit">Use key</button>
      </div>
      <p id={`${id}-help`} className="muted">
        Kept in this tab's session storage only; it is sent to the API as a bearer token.
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
