import { useId } from 'react';
import { useSession } from '@/features/auth/api/get-session.ts';
import { newIdempotencyKey } from '@/lib/idempotency-key.ts';
import { toast } from '@/lib/toast.ts';
import type { Membership } from '@/lib/viewer.ts';
import { useSetTeamMfaRequirement } from '../api/manage-team.ts';
import { sessionAal } from '../utils/session-aal.ts';
import { teamErrorMessage } from '../utils/team-error-message.ts';

/** The owners' switch: require two-factor of every member. Changed only from an aal2 session. */
export function MfaRequirement({ membership }: { membership: Membership }) {
  const session = useSession();
  const set = useSetTeamMfaRequirement();
  const id = useId();
  const aal2 = sessionAal(session.data) === 'aal2';
  const required = membership.requireMfa ?? false;
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-2 rounded-xl bg-white px-4 py-4 shadow-sm ring-1 ring-slate-900/5">
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        Two-factor authentication
      </h2>
      <div className="flex items-start gap-3">
        <input
          id={id}
          type="checkbox"
          className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
          checked={required}
          disabled={!aal2 || set.isPending}
          aria-describedby={`${id}-hint`}
          onChange={(e) =>
            set.mutate(
              { vendorId: membership.vendorId, required: e.target.checked, key: newIdempotencyKey() },
              {
                onSuccess: (_r, { required: on }) => toast.success(on ? 'Two-factor is now required for the team' : 'Two-factor is no longer required'),
                onError: (error) => toast.error(teamErrorMessage(error)),
              },
            )
          }
        />
        <div>
          <label htmlFor={id} className="text-sm font-medium text-slate-900">
            Require two-factor for everyone on this team
          </label>
          <p id={`${id}-hint`} className="text-sm text-slate-600">
            {aal2
              ? 'Members then see and change stock only after confirming sign-in with their authenticator app.'
              : 'To change this, sign in with two-factor yourself first (set it up in your account), so you cannot lock yourself out.'}
          </p>
        </div>
      </div>
    </section>
  );
}
