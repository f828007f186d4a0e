import type { FC } from 'hono/jsx';
import type { Connection } from '../api-types.js';

export const credentialsDialogId = (connection: Connection): string => `credentials-${connection.id}`;

const DialogButtons: FC = () => (
  <div class="dialog__buttons">
    <button type="button" class="button button--ghost" data-close-dialog>
      Cancel
    </button>
    <button type="submit" class="button button--primary">
      Test and save
    </button>
  </div>
);

const Microsoft365Fields: FC<{ id: string }> = ({ id }) => (
  <>
    <p>
      Paste the <strong>value</strong> of a new client secret (not its id) from Microsoft Entra admin center › App registrations › your app › Certificates &amp; secrets.
    </p>
    <div class="field">
      <label for={`${id}-secret`}>Client secret</label>
      {/* Never given a value: the stored secret stays on the server, and a typed one is cleared after each try. */}
      <input id={`${id}-secret`} name="clientSecret" type="password" autocomplete="new-password" spellcheck={false} required data-secret />
    </div>
  </>
);

const GoogleFields: FC<{ id: string; serviceAccount: string }> = ({ id, serviceAccount }) => (
  <>
    <p>
      Create a new JSON key for <code>{serviceAccount}</code> in Google Cloud console › IAM &amp; Admin › Service accounts › Keys, then choose the file or paste its contents.
    </p>
    <div class="field">
      <label for={`${id}-file`}>Key file</label>
      <input id={`${id}-file`} name="serviceAccountKeyFile" type="file" accept="application/json,.json" data-secret />
    </div>
    <div class="field">
      <label for={`${id}-key`}>Or paste the key file's contents</label>
      <textarea id={`${id}-key`} name="serviceAccountKey" rows={6} spellcheck={false} autocomplete="off" data-secret></textarea>
    </div>
  </>
);

/**
 * Update credentials: the new secret or key goes to PUT /api/connections/{id}/credentials,
 * which tests it before it replaces anything. The form starts empty every time.
 */
export const CredentialsDialog: FC<{ connection: Connection }> = ({ connection }) => {
  const id = credentialsDialogId(connection);
  return (
    <dialog id={id} class="dialog" aria-labelledby={`${id}-title`} data-testid="credentials-dialog">
      <form
        data-api-form={`PUT /api/connections/${connection.id}/credentials`}
        data-body={connection.kind === 'microsoft365' ? 'microsoft365-credentials' : 'google-credentials'}
        data-api-result="credentials"
        novalidate
      >
        <h2 id={`${id}-title`}>Update credentials</h2>
        <p class="muted small">{connection.name}</p>
        {connection.kind === 'microsoft365' ? <Microsoft365Fields id={id} /> : <GoogleFields id={id} serviceAccount={connection.settings.serviceAccountEmail} />}
        <p class="form-error" role="alert" data-form-error></p>
        <DialogButtons />
      </form>
    </dialog>
  );
};
