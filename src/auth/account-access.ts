import type { Actor } from '../actor.js';
import type { User, UsersService } from '../users/users-service.js';
import type { Sessions } from './session.js';

export interface AccountAccessDeps {
  readonly users: UsersService;
  readonly sessions: Pick<Sessions, 'endAllFor'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface AccessChange {
  readonly user: User;
  readonly wasActive: boolean;
  /** Sessions of the user that were ended (always 0 when enabling). */
  readonly endedSessions: number;
}

/**
 * Disabling and re-enabling accounts. It lives in auth, not users, because a disabled account must also lose
 * its sessions at once (the session middleware would ignore them, but rows left behind would come back to
 * life if the account were enabled again): users know nothing of sessions, auth knows both.
 */
export function createAccountAccess({ users, sessions, transaction }: AccountAccessDeps) {
  /** Both in one transaction: nobody sees a disabled user who still has sessions. Actor null: the command line. */
  function disable(actor: Actor | null, username: string): Promise<AccessChange> {
    return transaction(async () => {
      const { user, wasActive } = await users.setActive(actor, username, false);
      const endedSessions = await sessions.endAllFor(user.id);
      return { user, wasActive, endedSessions };
    });
  }

  async function enable(actor: Actor | null, username: string): Promise<AccessChange> {
    const { user, wasActive } = await users.setActive(actor, username, true);
    return { user, wasActive, endedSessions: 0 };
  }

  return { disable, enable };
}

export type AccountAccess = ReturnType<typeof createAccountAccess>;
