import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button.tsx';
import { Select } from '@/components/ui/select.tsx';
import { newIdempotencyKey } from '@/lib/idempotency-key.ts';
import { toast } from '@/lib/toast.ts';
import type { Member } from '../api/get-members.ts';
import { useRemoveMember, useSetMemberRole, type TeamRole } from '../api/manage-team.ts';
import { teamErrorMessage } from '../utils/team-error-message.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';

/** Members with their role (a select) and a remove (or, for the viewer, leave) button. */
export function MemberList({ vendorId, vendorName, members, viewerId }: { vendorId: string; vendorName: string; members: Member[]; viewerId: string }) {
  const setRole = useSetMemberRole();
  const remove = useRemoveMember();
  const navigate = useNavigate();
  const [removing, setRemoving] = useState<Member | null>(null);
  const owners = members.filter((m) => m.role === 'owner').length;

  const changeRole = (member: Member, role: TeamRole) =>
    setRole.mutate(
      { vendorId, userId: member.user_id, role, key: newIdempotencyKey() },
      {
        onSuccess: () => toast.success(`${member.display_name} is now ${role === 'owner' ? 'an owner' : 'staff'}`),
        onError: (error) => toast.error(teamErrorMessage(error)),
      },
    );
  const confirmRemove = () => {
    if (!removing) return;
    const leaving = removing.user_id === viewerId;
    remove.mutate(
      { vendorId, userId: removing.user_id, key: newIdempotencyKey() },
      {
        onSuccess: () => {
          toast.success(leaving ? `You left ${vendorName}` : `${removing.display_name} was removed from the team`);
          setRemoving(null);
          if (leaving) void navigate('/');
        },
      },
    );
  };

  return (
    <>
      <ul className="divide-y divide-slate-100 rounded-xl bg-white shadow-sm ring-1 ring-slate-900/5" aria-label="Members">
        {members.map((member) => {
          const self = member.user_id === viewerId;
          const lastOwner = member.role === 'owner' && owners === 1;
          return (
            <li key={member.user_id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-slate-900">
                  {member.display_name} {self && <span className="font-normal text-slate-500">(you)</span>}
                </p>
                <p className="truncate text-sm text-slate-600">{member.email}</p>
              </div>
              <div className="flex items-center gap-2">
                <label className="sr-only" htmlFor={`role-${member.user_id}`}>
                  Role of {member.display_name}
                </label>
                <Select
                  id={`role-${member.user_id}`}
                  className="w-28"
                  value={member.role}
                  disabled={setRole.isPending || lastOwner}
                  title={lastOwner ? 'The only owner stays an owner' : undefined}
                  onChange={(e) => changeRole(member, e.target.value as TeamRole)}
                >
                  <option value="owner">Owner</option>
                  <option value="staff">Staff</option>
                </Select>
                <Button
                  variant="secondary"
                  disabled={lastOwner}
                  title={lastOwner ? 'A team needs at least one owner' : undefined}
                  aria-label={self ? `Leave ${vendorName}` : `Remove ${member.display_name}`}
                  onClick={() => (remove.reset(), setRemoving(member))}
                >
                  {self ? 'Leave' : 'Remove'}
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
      {owners === 1 && <p className="text-sm text-slate-500">The only owner cannot step down or leave: make someone else an owner first.</p>}
      <ConfirmDialog
        open={removing !== null}
        title={removing?.user_id === viewerId ? `Leave ${vendorName}?` : `Remove ${removing?.display_name ?? ''}?`}
        confirmLabel={removing?.user_id === viewerId ? 'Leave team' : 'Remove'}
        pending={remove.isPending}
        error={remove.error ? teamErrorMessage(remove.error) : undefined}
        onConfirm={confirmRemove}
        onClose={() => setRemoving(null)}
      >
        {removing?.user_id === viewerId
          ? `You will no longer see ${vendorName}'s stock. An owner can invite you again.`
          : `${removing?.email ?? ''} will no longer see or change ${vendorName}'s stock. You can invite them again later.`}
      </ConfirmDialog>
    </>
  );
}
