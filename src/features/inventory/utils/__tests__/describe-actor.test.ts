import { describe, expect, it } from 'vitest';
import { describeActor } from '../describe-actor.ts';

const me = '11111111-1111-4111-8111-111111111111';
const teammate = '22222222-2222-4222-8222-222222222222';
const shopper = '33333333-3333-4333-8333-333333333333';
const team = [{ user_id: teammate, email: 'sam@example.com', display_name: 'Sam Stock', role: 'staff' }];

describe('who made a movement', () => {
  it('names the expiry sweeper, the viewer, a teammate and a shopper', () => {
    expect(describeActor({ kind: 'expiry', actor_id: null }, team, me)).toBe('Reservation expiry');
    expect(describeActor({ kind: 'adjustment', actor_id: me }, team, me)).toBe('You');
    expect(describeActor({ kind: 'adjustment', actor_id: teammate }, team, me)).toBe('Sam Stock');
    expect(describeActor({ kind: 'reservation', actor_id: shopper }, team, me)).toBe('Shopper 33333333');
  });

  it('calls a change with no user behind it the platform, and a teammate a shopper until the team is known', () => {
    expect(describeActor({ kind: 'adjustment', actor_id: null }, team, me)).toBe('Platform');
    expect(describeActor({ kind: 'adjustment', actor_id: teammate }, undefined, me)).toBe('Shopper 22222222');
  });
});
