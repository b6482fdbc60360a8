// A destructive action in three steps: ask (a modal names what will happen),
// run (the confirm button shows progress), show the result or the error in
// plain words. `dialog` and `outcome` are rendered where the screen wants them.
import { useState, type ReactNode } from "react";
import { ConfirmDialog } from "./ConfirmDialog";
import { ErrorNotice } from "./ErrorNotice";

export type ActionRequest = {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Runs the action; returns the sentence to show when it succeeded. */
  run: () => Promise<string>;
  /** What to call the failure ("Validator not approved"). */
  failure: string;
};

export function useConfirmedAction(onDone?: () => void) {
  const [pending, setPending] = useState<ActionRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; text: string } | { ok: false; error: unknown; failure: string } | null>(null);

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      const text = await pending.run();
      setResult({ ok: true, text });
      onDone?.();
    } catch (error) {
      setResult({ ok: false, error, failure: pending.failure });
    } finally {
      setBusy(false);
      setPending(null);
    }
  };

  const dialog = (
    <ConfirmDialog open={pending !== null} title={pending?.title ?? ""} confirmLabel={pending?.confirmLabel ?? "Confirm"} busy={busy} onConfirm={() => void confirm()} onCancel={() => setPending(null)}>
      {pending?.message}
    </ConfirmDialog>
  );
  const outcome =
    result === null ? null : result.ok ? (
      <p role="status" className="ok action-result">
        {result.text}
      </p>
    ) : (
      <ErrorNotice error={result.error} context={result.failure} />
    );
  return {
    ask: (request: ActionRequest) => {
      setResult(null);
      setPending(request);
    },
    dialog,
    outcome,
    clear: () => setResult(null),
  };
}
