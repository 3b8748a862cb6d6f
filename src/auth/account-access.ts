import type { Actor } from '../actor.js';
import { PasswordChangeRefusedError, type User, type UsersService } from '../users/users-service.js';
import type { LoginThrottle } from './login-throttle-service.js';
import type { Sessions } from './session.js';

export interface AccountAccessDeps {
  readonly users: UsersService;
  readonly sessions: Pick<Sessions, 'endAllFor'>;
  readonly throttle: Pick<LoginThrottle, 'check' | 'recordFailure' | 'unlock'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface AccessChange {
  readonly user: User;
  readonly wasActive: boolean;
  /** Sessions of the user that were ended (always 0 when enabling). */
  readonly endedSessions: number;
}

export interface PasswordResetDone {
  readonly user: User;
  /** The one-time password, to show once: it is stored only as a hash. */
  readonly password: string;
  readonly endedSessions: number;
}

/**
 * Disabling and re-enabling accounts, resetting and changing passwords, unlocking. It lives in auth, not
 * users, because each must also end sessions at once (the session middleware would ignore a disabled
 * user's, but rows left behind would come back to life if the account were enabled again; a reset password
 * must log out whoever used the old one) or go through the login throttle: users know nothing of either,
 * auth knows both. Who may do what to whom is the users service's rule (admins anyone, team leads the
 * volunteers inside their reach; actor null is the command line).
 */
export function createAccountAccess({ users, sessions, throttle, transaction }: AccountAccessDeps) {
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

  /**
   * A new one-time password for the user, who must change it at the next login; their sessions end in the
   * transaction that stores it, so whoever was logged in with the old one is out at once.
   */
  async function resetPassword(actor: Actor | null, username: string): Promise<PasswordResetDone> {
    const reset = await users.preparePasswordReset(actor, username);
    const endedSessions = await transaction(async () => {
      await reset.commit();
      return sessions.endAllFor(reset.user.id);
    });
    return { user: reset.user, password: reset.password, endedSessions };
  }

  /**
   * The user's own new password. A wrong current password counts as a failed login (someone holding an
   * open session must not try passwords for free), and a throttled or locked account is refused first.
   * Every session of the user ends, this one too: the caller starts a fresh one for the request.
   */
  async function changeOwnPassword(
    user: { readonly id: number; readonly username: string },
    input: { current: string; next: string; confirmation: string },
    address: string,
  ): Promise<void> {
    await throttle.check(user.username, address);
    let change;
    try {
      change = await users.prepareOwnPasswordChange(user.id, input);
    } catch (error) {
      if (error instanceof PasswordChangeRefusedError && error.wrongCurrentPassword) {
        await throttle.recordFailure(user.username, address);
        // As at login, the failure that reaches a limit says so at once.
        await throttle.check(user.username, address);
      }
      throw error;
    }
    await transaction(async () => {
      await change.commit();
      await sessions.endAllFor(user.id);
    });
  }

  /**
   * Unlocks an account that failed logins locked, for a user the actor manages (404 outside a team lead's
   * reach, 403 for someone not theirs). Returns whether it was locked.
   */
  async function unlock(actor: Actor, userId: number): Promise<{ user: User; wasLocked: boolean }> {
    const user = await users.getManageable(actor, userId);
    const { wasLocked } = await throttle.unlock(actor, user.username);
    return { user, wasLocked };
  }

  return { disable, enable, resetPassword, changeOwnPassword, unlock };
}

export type AccountAccess = ReturnType<typeof createAccountAccess>;
