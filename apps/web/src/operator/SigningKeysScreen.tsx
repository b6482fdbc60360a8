// Certificate-signing keys (no private material) and their rotation (confirmed):
// the old key retires but stays in the JWKS, so issued certificates still verify.
import { operatorConsoleApi, type Credential } from "../api/client";
import { formatTime } from "../format";
import { DataTable } from "../ui/DataTable";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import { ResourceView, useResource } from "../ui/useResource";

export function SigningKeysScreen({ credential }: { credential: Credential }) {
  const keys = useResource(() => operatorConsoleApi.signingKeys(credential), [credential]);
  const action = useConfirmedAction(() => keys.reload());
  return (
    <>
      <p>
        <button
          type="button"
          onClick={() =>
            action.ask({
              title: "Rotate the signing key?",
              message: <p>New certificates are signed with a new key. The current key retires but stays published, so certificates it signed still verify.</p>,
              confirmLabel: "Rotate key",
              failure: "Key not rotated",
              run: async () => `New signing key ${(await operatorConsoleApi.rotateSigningKey(credential)).kid} is active.`,
            })
          }
        >
          Rotate signing key…
        </button>
      </p>
      {action.outcome}
      <ResourceView resource={keys} what="signing keys">
        {(list) => (
          <DataTable
            caption="Signing keys"
            rows={list}
            rowKey={(k) => k.kid}
            rowProps={(k) => ({ "data-kid": k.kid, "data-status": k.status })}
            empty="No signing key yet: the platform creates one when it starts."
            columns={[
              { header: "Key id", rowHeader: true, cell: (k) => <code>{k.kid}</code>, text: (k) => k.kid },
              { header: "Status", cell: (k) => k.status, text: (k) => k.status },
              { header: "Created", cell: (k) => formatTime(k.createdAt) },
              { header: "Retired", cell: (k) => (k.retiredAt ? formatTime(k.retiredAt) : "–") },
            ]}
          />
        )}
      </ResourceView>
      {action.dialog}
    </>
  );
}
