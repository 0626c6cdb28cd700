import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { CopyButton } from '@/components/ui/copy-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useEnrollTotp, useUnenrollFactor, useVerifyTotp } from '@/features/auth/api/mfa.ts';
import { CodeInput } from '@/features/auth/components/code-input.tsx';
import { useFocusOnMount } from '@/features/auth/hooks/use-focus-on-mount.ts';
import { authErrorMessage } from '@/features/auth/utils/auth-error-message.ts';
import { totpCodeError } from '@/features/auth/utils/totp-code.ts';

/** The secret in groups of four, as authenticator apps show keys to type. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/**
 * Adding an authenticator app: GoTrue makes a factor with a secret and a QR code of its otpauth
 * URI; the user scans it (or types the key) and proves it with a code, which verifies the factor.
 */
export function EnrolTotp({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const enroll = useEnrollTotp();
  const verify = useVerifyTotp();
  const unenroll = useUnenrollFactor();
  const [code, setCode] = useState('');
  const [localError, setLocalError] = useState<string>();
  const codeRef = useRef<HTMLInputElement>(null);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const started = useRef(false);

  useEffect(() => {
    // One enrolment per opening (StrictMode runs effects twice in development).
    if (started.current) return;
    started.current = true;
    enroll.mutate();
  }, [enroll]);

  const enrolment = enroll.data;
  const serverError = verify.error ? authErrorMessage(verify.error) : undefined;
  const codeError = localError ?? (serverError?.field === 'code' ? serverError.message : undefined);

  const cancel = () => {
    // The unverified factor would otherwise linger in Auth until the next enrolment removes it.
    if (enrolment) unenroll.mutate(enrolment.factorId);
    onCancel();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!enrolment || verify.isPending) return;
    const problem = totpCodeError(code);
    setLocalError(problem);
    if (problem) return codeRef.current?.focus();
    verify.mutate(
      { factorId: enrolment.factorId, code },
      {
        onSuccess: onDone,
        onError: () => {
          setCode('');
          codeRef.current?.focus();
        },
      },
    );
  };

  return (
    <div className="space-y-5 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200 sm:p-5">
      <h3 ref={heading} tabIndex={-1} className="text-sm font-semibold text-slate-900 focus:outline-none">
        Set up an authenticator app
      </h3>
      {enroll.isPending && (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-600">
          <Spinner /> Preparing your code…
        </p>
      )}
      {enroll.isError && (
        <Alert tone="error" title="Two-factor setup could not start">
          <p>{authErrorMessage(enroll.error).message}</p>
          <Button variant="secondary" className="mt-3" onClick={() => enroll.mutate()}>
            Try again
          </Button>
        </Alert>
      )}
      {enrolment && (
        <>
          <ol className="list-decimal space-y-4 pl-5 text-sm text-slate-700">
            <li>
              Scan this QR code with an authenticator app (1Password, Google Authenticator, Authy, …).
              <img src={enrolment.qrCode} alt="QR code to add Stockroom to your authenticator app" className="mt-3 size-44 rounded-lg bg-white p-2 ring-1 ring-slate-200" data-testid="totp-qr" />
            </li>
            <li>
              Can&apos;t scan it? Type this key into the app instead:
              <span className="mt-2 flex items-center gap-2">
                <code className="rounded-md bg-white px-2 py-1 font-mono text-sm break-all text-slate-900 ring-1 ring-slate-200" data-testid="totp-secret" data-secret={enrolment.secret}>
                  {grouped(enrolment.secret)}
                </code>
                <CopyButton value={enrolment.secret} label="setup key" />
              </span>
            </li>
            <li>Enter the 6-digit code the app shows for Stockroom.</li>
          </ol>
          <form noValidate onSubmit={onSubmit} className="max-w-xs space-y-4" aria-busy={verify.isPending || undefined}>
            {serverError && serverError.field !== 'code' && <Alert tone="error">{serverError.message}</Alert>}
            <Field label="Code from the app" error={codeError}>
              {(control) => (
                <CodeInput
                  control={control}
                  inputRef={codeRef}
                  name="code"
                  value={code}
                  onChange={(value) => {
                    setCode(value);
                    setLocalError(undefined);
                    if (verify.error) verify.reset();
                  }}
                />
              )}
            </Field>
            <p className="sr-only" aria-live="assertive">
              {codeError ?? ''}
            </p>
            <div className="flex flex-wrap gap-2">
              <Button type="submit" loading={verify.isPending}>
                {verify.isPending ? 'Verifying…' : 'Verify and turn on'}
              </Button>
              <Button variant="ghost" onClick={cancel}>
                Cancel
              </Button>
            </div>
          </form>
        </>
      )}
      {!enrolment && (
        <Button variant="ghost" onClick={cancel}>
          Cancel
        </Button>
      )}
    </div>
  );
}
