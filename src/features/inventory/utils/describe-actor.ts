import type { TeamMember } from '../api/get-team.ts';

export interface ActorRef {
  actor_id: string | null;
  actor_role: string | null;
  kind: string;
}

/** Who made a movement, in words: a teammate by name, a shopper (by short id), the platform or the expiry sweeper. */
export function describeActor(movement: ActorRef, team: readonly TeamMember[] | undefined, myUserId: string | undefined): string {
  if (movement.kind === 'expiry') return 'Reservation expiry';
  if (movement.actor_id && movement.actor_id === myUserId) return 'You';
  const member = movement.actor_id ? team?.find((m) => m.user_id === movement.actor_id) : undefined;
  if (member) return member.display_name;
  if (movement.actor_id) return `Shopper ${movement.actor_id.slice(0, 8)}`;
  if (movement.actor_role === 'service_role') return 'Platform (service)';
  return 'System';
}
