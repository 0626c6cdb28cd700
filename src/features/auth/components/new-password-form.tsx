import { useRef, useState, type FormEvent } from 'react';
import { isAuthError } from '@supabase/supabase-js';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { useReauthenticate, useUpdatePassword } from '../api/password-reset.ts';
import { authErrorMessage } from '../utils/auth-error-message.ts';
import { emailCodeError, normalizeTotpCode } from '../utils/totp-code.ts';
import { MIN_PASSWORD_LENGTH } from '../utils/validate-credentials.ts';
import { validateNewPassword, type NewPasswordErrors } from '../utils/validate-new-password.ts';
import { CodeInput } from './code-input.tsx';
import { PasswordInput } from './password-input.tsx';

/**
 * Sets a new password for the signed-in user (a recovery session on the reset page, the normal
 * session on the account page). When Auth wants proof it is really them (GoTrue's secure
 * password change: a session older than 24 h), it answers `reauthentication_needed`; the form
 * then has a one-time code mailed (reauthenticate()) and sends it as the `nonce`.
 */
export function NewPasswordForm({ email, submitLabel, onDone, autoFocus = false }: { email: string; submitLabel: string; onDone: () => void; autoFocus?: boolean }) {
  const update = useUpdatePassword();
  const reauth = useReauthenticate();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [errors, setErrors] = useState<NewPasswordErrors & { code?: string }>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmationRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const serverError = update.error && !isReauthNeeded(update.error) ? authErrorMessage(update.error) : reauth.error ? authErrorMessage(reauth.error) : undefined;
  const passwordError = errors.password ?? (serverError?.field === 'password' ? serverError.message : undefined);
  const codeError = errors.code ?? (serverError?.field === 'code' ? serverError.message : undefined);
  const formError = serverError && serverError.field !== 'password' && serverError.field !== 'code' ? serverError.message : undefined;

  const sendCode = () =>
    reauth.mutate(undefined, {
      onSuccess: () => {
        setNeedsCode(true);
        setCode('');
        // The field appears with this render; focus it once it is there.
        requestAnimationFrame(() => codeRef.current?.focus());
      },
    });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending || reauth.isPending) return;
    const found: NewPasswordErrors & { code?: string } = validateNewPassword(password, confirmation);
    if (needsCode) {
      const problem = emailCodeError(code);
      if (problem) found.code = problem;
    }
    setErrors(found);
    if (found.password) return passwordRef.current?.focus();
    if (found.confirmation) return confirmationRef.current?.focus();
    if (found.code) return codeRef.current?.focus();
    update.mutate(
      { password, nonce: needsCode ? normalizeTotpCode(code) : undefined },
      {
        onSuccess: onDone,
        onError: (error) => {
          if (isReauthNeeded(error)) return sendCode();
          const { field } = authErrorMessage(error);
          if (field === 'code') codeRef.current?.focus();
          else if (field === 'password') passwordRef.current?.focus();
        },
      },
    );
  };

  const edited = () => {
    if (update.error) update.reset();
    if (Object.keys(errors).length > 0) setErrors({});
  };

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5" aria-busy={update.isPending || reauth.isPending || undefined}>
      {formError && <Alert tone="error">{formError}</Alert>}
      <Field label="New password" error={passwordError} hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}>
        {(control) => (
          <PasswordInput
            control={control}
            inputRef={passwordRef}
            name="new-password"
            autoComplete="new-password"
            autoFocus={autoFocus}
            value={password}
            onChange={(value) => {
              setPassword(value);
              edited();
            }}
          />
        )}
      </Field>
      <Field label="Repeat new password" error={errors.confirmation}>
        {(control) => (
          <PasswordInput
            control={control}
            inputRef={confirmationRef}
            name="confirm-password"
            autoComplete="new-password"
            value={confirmation}
            onChange={(value) => {
              setConfirmation(value);
              edited();
            }}
          />
        )}
      </Field>
      {needsCode && (
        <div className="space-y-3 rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200">
          <p role="status" className="text-sm text-slate-700">
            To confirm it is you, we emailed a code to <span className="font-medium break-all text-slate-900">{email}</span>.
          </p>
          <Field label="Code from the email" error={codeError}>
            {(control) => (
              <CodeInput
                control={control}
                inputRef={codeRef}
                name="nonce"
                value={code}
                onChange={(value) => {
                  setCode(value);
                  edited();
                }}
              />
            )}
          </Field>
          <Button variant="ghost" className="-ml-2" loading={reauth.isPending} onClick={sendCode}>
            Send a new code
          </Button>
        </div>
      )}
      <Button type="submit" className="w-full" loading={update.isPending}>
        {update.isPending ? 'Saving…' : submitLabel}
      </Button>
    </form>
  );
}

function isReauthNeeded(error: unknown): boolean {
  return isAuthError(error) && (error.code === 'reauthentication_needed' || error.code === 'reauth_nonce_missing');
}
