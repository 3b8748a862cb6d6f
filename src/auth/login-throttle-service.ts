import type { Actor } from '../actor.js';
import { auditChanges } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import { AccountLockedError, ForbiddenError, TooManyRequestsError } from '../http/errors.js';
import type { Role } from '../vocabulary/roles.js';
import type { LoginThrottleRepo } from './login-throttle-repo.js';

const MINUTE_MS = 60 * 1000;

/**
 * The limits. A guesser at one username from one address is slowed to 5 tries per 15 minutes; spread over
 * many addresses, 20 failures in a day lock the account until a person looks at it. One address gets far more
 * (a commune's Wi-Fi or a carrier's NAT is many volunteers, each mistyping a password on the first morning).
 */
export const LOGIN_LIMITS = {
  pair: { failures: 5, windowMs: 15 * MINUTE_MS },
  account: { failures: 20, windowMs: 24 * 60 * MINUTE_MS },
  address: { failures: 200, windowMs: 15 * MINUTE_MS },
} as const;

/** Who may unlock an account: the people a volunteer asks in the field, and the admins. */
const UNLOCKERS: readonly Role[] = ['admin', 'team_lead'];

/** The stored username: what was typed, folded, and short enough for the table (real ones are at most 32). */
export function throttleUsername(username: string): string {
  return username.trim().normalize('NFC').toLowerCase().slice(0, 64) || '-';
}

function throttleAddress(address: string): string {
  return address.slice(0, 64);
}

function minutesUntil(nowMs: number, untilMs: number): number {
  return Math.max(1, Math.ceil((untilMs - nowMs) / MINUTE_MS));
}

export interface LoginThrottleDeps {
  readonly repo: LoginThrottleRepo;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
  /** Failures, locks and unlocks are also audit rows, in the transaction that records them. */
  readonly audit: AuditService;
  /** The user a typed username names, if any: their id goes on the audit row. */
  readonly userIdOf: (username: string) => Promise<number | undefined>;
}

export function createLoginThrottle({ repo, transaction, clock, audit, userIdOf }: LoginThrottleDeps) {
  /**
   * A login event in the audit trail: on the user the username names (none for an unknown one), with the
   * username as the throttle keeps it (folded, cut to 64: what login_failures holds anyway) — never a password.
   */
  async function recordLoginEvent(
    action: 'login.failure' | 'login.lock' | 'login.unlock',
    actor: Actor | null,
    username: string,
    address: string,
  ): Promise<void> {
    await audit.record({
      actor,
      action,
      entity: 'user',
      entityId: (await userIdOf(username)) ?? null,
      changes: auditChanges(undefined, { username }, { plain: ['username'] }),
      address,
    });
  }

  /** Failures at or before this time no longer count for the username: the newest unlock. */
  async function countsFrom(username: string, windowStart: string): Promise<string> {
    const unlock = await repo.newestLockEvent(username, 'unlocked');
    return unlock && unlock.happened_at > windowStart ? unlock.happened_at : windowStart;
  }

  async function isLocked(username: string): Promise<boolean> {
    return (await repo.newestLockEvent(throttleUsername(username)))?.event === 'locked';
  }

  /**
   * Throws when this username from this address may not try a password now: AccountLockedError (locked until
   * unlocked), or TooManyRequestsError (address or username-and-address limit, saying when to try again).
   * Called before the password is checked, so a right password during a lock does not log in.
   */
  async function check(rawUsername: string, rawAddress: string): Promise<void> {
    const username = throttleUsername(rawUsername);
    const address = throttleAddress(rawAddress);
    if (await isLocked(username)) throw new AccountLockedError();
    const now = clock.now().getTime();

    const { address: addressLimit, pair } = LOGIN_LIMITS;
    const addressSince = new Date(now - addressLimit.windowMs).toISOString();
    const addressOldest = await repo.nthNewestFailure({ address }, addressSince, addressLimit.failures);
    if (addressOldest) {
      const until = new Date(addressOldest).getTime() + addressLimit.windowMs;
      const minutes = minutesUntil(now, until);
      throw new TooManyRequestsError(
        Math.ceil((until - now) / 1000),
        `Có quá nhiều lần đăng nhập sai từ mạng này. Hãy thử lại sau ${minutes} phút.`,
      );
    }

    const pairSince = await countsFrom(username, new Date(now - pair.windowMs).toISOString());
    const pairOldest = await repo.nthNewestFailure({ username, address }, pairSince, pair.failures);
    if (pairOldest) {
      const until = new Date(pairOldest).getTime() + pair.windowMs;
      const minutes = minutesUntil(now, until);
      throw new TooManyRequestsError(
        Math.ceil((until - now) / 1000),
        `Đăng nhập sai quá nhiều lần. Hãy thử lại sau ${minutes} phút.`,
      );
    }
  }

  /** Records one failed login; the one that reaches the account limit also locks the account. */
  async function recordFailure(rawUsername: string, rawAddress: string): Promise<void> {
    const username = throttleUsername(rawUsername);
    const now = clock.now();
    const address = throttleAddress(rawAddress);
    await transaction(async () => {
      await repo.insertFailure({ username, address, failedAt: now.toISOString() });
      // Whoever typed the password is not known: the row names the account tried, not an actor.
      await recordLoginEvent('login.failure', null, username, address);
      const { account } = LOGIN_LIMITS;
      const since = await countsFrom(username, new Date(now.getTime() - account.windowMs).toISOString());
      const atLimit = await repo.nthNewestFailure({ username }, since, account.failures);
      if (atLimit && !(await isLocked(username))) {
        await repo.insertLockEvent({ username, event: 'locked', happenedAt: now.toISOString(), byUser: null });
        await recordLoginEvent('login.lock', null, username, address);
      }
    });
  }

  /**
   * Unlocks the account (actor null: the command line). The failures before it stop counting, for the
   * account and for every address; it is recorded even when the account was not locked, which also clears
   * a count that was getting close. Returns whether it was locked.
   */
  async function unlock(actor: Actor | null, rawUsername: string): Promise<{ wasLocked: boolean }> {
    if (actor && !UNLOCKERS.includes(actor.role)) {
      throw new ForbiddenError('Chỉ tổ trưởng hoặc quản trị viên mới mở khóa được tài khoản.');
    }
    const username = throttleUsername(rawUsername);
    return transaction(async () => {
      const wasLocked = await isLocked(username);
      await repo.insertLockEvent({
        username,
        event: 'unlocked',
        happenedAt: clock.now().toISOString(),
        byUser: actor?.id ?? null,
      });
      await recordLoginEvent('login.unlock', actor, username, '');
      return { wasLocked };
    });
  }

  /** The accounts locked now, by their stored (folded) username: for the lists of user management. */
  async function lockedUsernames(): Promise<ReadonlySet<string>> {
    return new Set(await repo.lockedUsernames());
  }

  return { check, recordFailure, unlock, isLocked, lockedUsernames };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
