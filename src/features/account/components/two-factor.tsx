import { useRef, useState } from 'react';
import { ShieldCheck } from 'lucide-react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Modal } from '@/components/ui/dialog.tsx';
import { LoadError } from '@/components/ui/query-states.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useFactors, useUnenrollFactor } from '@/features/auth/api/mfa.ts';
import { authErrorMessage } from '@/features/auth/utils/auth-error-message.ts';
import { formatDateTime } from '@/lib/format.ts';
import { toast } from '@/lib/toast.ts';
import { AccountSection } from './account-section.tsx';
import { EnrolTotp } from './enrol-totp.tsx';

/** Authenticator apps on the account: add one (QR code and key), list them, remove one. */
export function TwoFactor() {
  const factors = useFactors();
  const unenroll = useUnenrollFactor();
  const [enrolling, setEnrolling] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; name: string }>();
  const [result, setResult] = useState('');
  const addButton = useRef<HTMLButtonElement>(null);
  const verified = (factors.data ?? []).filter((f) => f.factor_type === 'totp' && f.status === 'verified');

  const remove = () => {
    if (!removing) return;
    unenroll.mutate(removing.id, {
      onSuccess: () => {
        setRemoving(undefined);
        setResult('Authenticator removed. Sign-in now asks only for your password.');
        toast.success('Authenticator removed');
        requestAnimationFrame(() => addButton.current?.focus());
      },
    });
  };

  return (
    <AccountSection
      id="two-factor"
      title="Two-factor sign-in"
      description="With an authenticator app, signing in also asks for a 6-digit code from your phone, so a stolen password alone is not enough."
    >
      <p role="status" className="sr-only">
        {result}
      </p>
      {factors.isPending && (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-600">
          <Spinner /> Loading your authenticators…
        </p>
      )}
      {factors.isError && <LoadError title="Your authenticators could not be loaded" error={factors.error} retrying={factors.isFetching} onRetry={() => void factors.refetch()} />}
      {factors.data && (
        <div className="space-y-4">
          {verified.length === 0 ? (
            <p className="text-sm text-slate-700" data-testid="two-factor-off">
              Two-factor sign-in is <span className="font-semibold">off</span>.
            </p>
          ) : (
            <ul className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200" aria-label="Your authenticators">
              {verified.map((factor) => (
                <li key={factor.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                  <div className="flex min-w-0 items-center gap-3">
                    <ShieldCheck className="size-5 shrink-0 text-emerald-600" aria-hidden="true" />
                    <div className="min-w-0">
                      <p className="truncate text-sm font-medium text-slate-900">{factor.friendly_name || 'Authenticator app'}</p>
                      <p className="text-xs text-slate-600">Added {formatDateTime(factor.created_at)}</p>
                    </div>
                  </div>
                  <Button variant="secondary" onClick={() => setRemoving({ id: factor.id, name: factor.friendly_name || 'Authenticator app' })}>
                    Remove<span className="sr-only"> {factor.friendly_name || 'authenticator app'}</span>
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {enrolling ? (
            <EnrolTotp
              onDone={() => {
                setEnrolling(false);
                setResult('Two-factor sign-in is on. Next time you sign in, enter the code from your app.');
                toast.success('Two-factor sign-in is on');
                requestAnimationFrame(() => addButton.current?.focus());
              }}
              onCancel={() => {
                setEnrolling(false);
                requestAnimationFrame(() => addButton.current?.focus());
              }}
            />
          ) : (
            <Button ref={addButton} variant={verified.length === 0 ? 'primary' : 'secondary'} onClick={() => setEnrolling(true)}>
              {verified.length === 0 ? 'Set up an authenticator app' : 'Add another authenticator app'}
            </Button>
          )}
          <p className="text-sm text-slate-600">
            Lost the phone with your authenticator? Ask a platform admin: after checking it is you, they can remove your authenticators, and you sign in with
            your password and set up a new one.
          </p>
        </div>
      )}
      <Modal
        open={removing !== undefined}
        onClose={() => {
          setRemoving(undefined);
          unenroll.reset();
        }}
        title="Remove this authenticator?"
        description={`${removing?.name ?? 'The authenticator'} will no longer be asked for at sign-in.${verified.length <= 1 ? ' Two-factor sign-in will be off.' : ''}`}
      >
        {unenroll.error && (
          <div className="mb-4">
            <Alert tone="error">{authErrorMessage(unenroll.error).message}</Alert>
          </div>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          <Button
            variant="secondary"
            onClick={() => {
              setRemoving(undefined);
              unenroll.reset();
            }}
          >
            Keep it
          </Button>
          <Button className="bg-red-600 hover:bg-red-500 focus-visible:outline-red-600" loading={unenroll.isPending} onClick={remove}>
            Remove authenticator
          </Button>
        </div>
      </Modal>
    </AccountSection>
  );
}
