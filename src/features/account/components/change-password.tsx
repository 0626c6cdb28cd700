import { useState } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { NewPasswordForm } from '@/features/auth/components/new-password-form.tsx';
import { toast } from '@/lib/toast.ts';
import { AccountSection } from './account-section.tsx';

export function ChangePassword({ email }: { email: string }) {
  const [open, setOpen] = useState(false);
  // A new form each time it opens: nothing typed earlier stays in it.
  const [round, setRound] = useState(0);
  return (
    <AccountSection id="password" title="Password" description="Used with your email address to sign in. If Auth asks you to confirm it is you, we email you a code.">
      {open ? (
        <div className="max-w-sm space-y-3">
          <NewPasswordForm
            key={round}
            email={email}
            submitLabel="Change password"
            autoFocus
            onDone={() => {
              setOpen(false);
              setRound((r) => r + 1);
              toast.success('Your password is changed.');
            }}
          />
          <Button variant="ghost" className="w-full" onClick={() => setOpen(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setOpen(true)}>
          Change password
        </Button>
      )}
    </AccountSection>
  );
}
