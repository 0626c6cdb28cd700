import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { CopyButton } from '@/components/ui/copy-button.tsx';
import { Modal } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { EmailInput, Input } from '@/components/ui/input.tsx';
import { Select } from '@/components/ui/select.tsx';
import { useIntentKey } from '@/lib/idempotency-key.ts';
import { formatDateTime } from '@/lib/format.ts';
import { useCreateInvitation, type TeamRole } from '../api/manage-team.ts';
import { inviteUrl, teamErrorMessage } from '../utils/team-error-message.ts';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Invite by email and role; then the link, shown this once (only a hash of its token is stored),
 * to copy and send. Inviting the same email again replaces the link.
 */
export function InviteDialog({ open, onClose, vendorId, vendorName }: { open: boolean; onClose: () => void; vendorId: string; vendorName: string }) {
  const create = useCreateInvitation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TeamRole>('staff');
  const [error, setError] = useState<string>();
  const normalized = email.trim().toLowerCase();
  const intent = useIntentKey([vendorId, normalized, role]);
  const emailRef = useRef<HTMLInputElement>(null);
  const linkRef = useRef<HTMLInputElement>(null);
  const created = create.data;

  // Once the link exists, focus moves to it (selected, ready to copy) and screen readers hear it.
  useEffect(() => {
    if (created) linkRef.current?.select();
  }, [created]);

  const close = () => {
    create.reset();
    intent.renew();
    setEmail('');
    setRole('staff');
    setError(undefined);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    if (!EMAIL.test(normalized)) {
      setError('Enter the email address of the person to invite.');
      emailRef.current?.focus();
      return;
    }
    create.mutate({ vendorId, email: normalized, role, key: intent.key });
  };

  return (
    <Modal open={open} onClose={close} title={created ? 'Invitation ready' : 'Invite someone'} description={created ? undefined : `They will join ${vendorName} once they accept.`}>
      {created ? (
        <div className="space-y-4">
          <Alert tone="success">
            Send this link to <strong>{created.email}</strong>. It works once, for that email, until {formatDateTime(created.expires_at)}. Copy it now: it
            is not shown again (invite the same email again for a new link).
          </Alert>
          <Field label="Invitation link">
            {(control) => (
              <div className="flex items-center gap-2">
                <Input {...control} ref={linkRef} readOnly value={inviteUrl(created.token)} className="font-mono text-xs" data-testid="invite-link" />
                <CopyButton value={inviteUrl(created.token)} label="invitation link" />
              </div>
            )}
          </Field>
          <div className="flex justify-end border-t border-slate-100 pt-4">
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      ) : (
        <form noValidate onSubmit={submit} className="space-y-4">
          {create.error && <Alert tone="error">{teamErrorMessage(create.error)}</Alert>}
          <Field label="Email" error={error}>
            {(control) => (
              <EmailInput
                {...control}
                ref={emailRef}
                autoFocus
                autoComplete="off"
                value={email}
                placeholder="name@example.com"
                onChange={(e) => (setEmail(e.target.value), setError(undefined), create.reset())}
              />
            )}
          </Field>
          <Field label="Role" hint={role === 'owner' ? 'Owners manage stock and the team.' : 'Staff manage stock, not the team.'}>
            {(control) => (
              <Select {...control} value={role} onChange={(e) => (setRole(e.target.value as TeamRole), create.reset())}>
                <option value="staff">Staff</option>
                <option value="owner">Owner</option>
              </Select>
            )}
          </Field>
          <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create invitation
            </Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
