import type { TeamMember } from '../api/get-team.ts';

export interface ActorRef {
  actor_id: string | null;
  kind: string;
}

/**
 * Who made a movement, in words: a teammate by name, a shopper (by short id), the expiry sweeper,
 * or the platform (a change with no user behind it: the service API or SQL).
 */
export function describeActor(movement: ActorRef, team: readonly TeamMember[] | undefined, myUserId: string | undefined): string {
  if (movement.kind === 'expiry') return 'Reservation expiry';
  if (!movement.actor_id) return 'Platform';
  if (movement.actor_id === myUserId) return 'You';
  const member = team?.find((m) => m.user_id === movement.actor_id);
  return member ? member.display_name : `Shopper ${movement.actor_id.slice(0, 8)}`;
}
