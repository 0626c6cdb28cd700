import { useRef, useState, type FormEvent } from 'react';
import type { Session } from '@supabase/supabase-js';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { useSession } from '../api/get-session.ts';
import { useVerifyTotp } from '../api/mfa.ts';
import { verifiedTotpFactor } from '../utils/assurance.ts';
import { authErrorMessage } from '../utils/auth-error-message.ts';
import { totpCodeError } from '../utils/totp-code.ts';
import { CodeInput } from './code-input.tsx';

/**
 * Asks for the current code of the account's authenticator app. On success Auth issues an aal2
 * session; the session in the cache changes and the page around this form moves on.
 */
export function SecondFactorForm({ submitLabel = 'Verify', session: given }: { submitLabel?: string; session?: Session }) {
  const session = useSession();
  // The reset page may know the recovery session before the cache does.
  const factor = verifiedTotpFactor((session.data ?? given)?.user.factors);
  const verify = useVerifyTotp();
  const [code, setCode] = useState('');
  const [localError, setLocalError] = useState<string>();
  const inputRef = useRef<HTMLInputElement>(null);

  if (!factor) {
    return (
      <Alert tone="error" title="This account's second factor can't be used here">
        Only authenticator apps (TOTP) are supported. Ask a platform admin to remove your second factor, then set up an authenticator app.
      </Alert>
    );
  }

  const serverError = verify.error ? authErrorMessage(verify.error) : undefined;
  const codeError = localError ?? (serverError?.field === 'code' ? serverError.message : undefined);
  const formError = serverError && serverError.field !== 'code' ? serverError.message : undefined;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (verify.isPending) return;
    const error = totpCodeError(code);
    setLocalError(error);
    if (error) return inputRef.current?.focus();
    verify.mutate(
      { factorId: factor.id, code },
      {
        onError: () => {
          setCode('');
          inputRef.current?.focus();
        },
      },
    );
  };

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5" aria-busy={verify.isPending || undefined}>
      {formError && <Alert tone="error">{formError}</Alert>}
      <Field label="Authentication code" error={codeError} hint="The 6-digit code your authenticator app shows now.">
        {(control) => (
          <CodeInput
            control={control}
            inputRef={inputRef}
            name="code"
            autoFocus
            value={code}
            onChange={(value) => {
              setCode(value);
              setLocalError(undefined);
              if (verify.error) verify.reset();
            }}
          />
        )}
      </Field>
      {/* Announces a refused code even to those whose focus stays in the field. */}
      <p className="sr-only" aria-live="assertive">
        {codeError ?? ''}
      </p>
      <Button type="submit" className="w-full" loading={verify.isPending}>
        {verify.isPending ? 'Verifying…' : submitLabel}
      </Button>
    </form>
  );
}
