import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../src/auth/login-throttle-service.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { createTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';

type Context = ReturnType<typeof createTestContext>;

function loginRows(db: Context['db']) {
  return db
    .prepare(
      'SELECT user_id, action, entity, entity_id, site_id, commune_code, changes, address FROM audit_log ' +
        "WHERE action LIKE 'login.%' ORDER BY id",
    )
    .all() as {
    user_id: number | null;
    action: string;
    entity: string;
    entity_id: number | null;
    site_id: number | null;
    commune_code: string | null;
    changes: string;
    address: string;
  }[];
}

async function postLogin(context: Context, username: string, password: string, status: number) {
  const agent = request.agent(context.app);
  const page = await agent.get('/login');
  await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), username, password })
    .expect(status);
}

describe('audit rows of logins', () => {
  it('when a user logs in, then a login.success row names them and the address the request came from', async () => {
    const context = createTestContext();
    const id = await context.createUser('tnv.lan', 'volunteer', [{ kind: 'commune', code: '23575' }]);
    await postLogin(context, 'tnv.lan', TEST_PASSWORD, 303);

    const [row] = loginRows(context.db);
    expect(row).toMatchObject({
      user_id: id,
      action: 'login.success',
      entity: 'user',
      entity_id: id,
      site_id: null,
      commune_code: null,
      changes: '{}',
    });
    expect(row!.address).toMatch(/127\.0\.0\.1|::1/);
  });

  it('when a password is wrong, then a login.failure row names the account tried and holds no password', async () => {
    const context = createTestContext();
    const id = await context.createUser('tnv.lan', 'volunteer', [{ kind: 'commune', code: '23575' }]);
    await postLogin(context, 'TNV.Lan', 'sai-mat-khau-roi', 400);

    const rows = loginRows(context.db);
    expect(rows).toEqual([
      expect.objectContaining({
        user_id: null,
        action: 'login.failure',
        entity: 'user',
        entity_id: id,
        site_id: null,
        changes: JSON.stringify({ username: { after: 'tnv.lan' } }),
      }),
    ]);
    expect(rows[0]!.address).not.toBe('');
    expect(JSON.stringify(context.db.prepare('SELECT * FROM audit_log').all())).not.toContain('sai-mat-khau-roi');
  });

  it('when the username is unknown, then the failure row has no user and the typed name, cut as kept', async () => {
    const context = createTestContext();
    const typed = `Ai-Do-${'x'.repeat(80)}`;
    await postLogin(context, typed, 'sai-mat-khau-roi', 400);

    const rows = loginRows(context.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: null, action: 'login.failure', entity_id: null });
    expect(JSON.parse(rows[0]!.changes)).toEqual({ username: { after: typed.toLowerCase().slice(0, 64) } });
  });

  it('when failures lock an account and a team lead unlocks it, then login.lock and login.unlock rows', async () => {
    const context = createTestContext();
    const { db, services, createUser } = context;
    const id = await createUser('tnv.lan', 'volunteer', [{ kind: 'commune', code: '23575' }]);
    const leadId = await createUser('totruong', 'team_lead', [{ kind: 'commune', code: '23575' }]);
    for (let i = 0; i < LOGIN_LIMITS.account.failures; i++) {
      await services.loginThrottle.recordFailure('tnv.lan', `10.0.0.${i}`);
    }
    expect(await services.loginThrottle.isLocked('tnv.lan')).toBe(true);
    await services.accountAccess.unlock(
      { id: leadId, role: 'team_lead', reach: { ...WHOLE_COUNTRY, wholeCountry: false, communes: ['23575'] } },
      id,
    );

    const rows = loginRows(db);
    expect(rows.filter((row) => row.action === 'login.failure')).toHaveLength(LOGIN_LIMITS.account.failures);
    expect(rows.filter((row) => row.action === 'login.lock')).toEqual([
      expect.objectContaining({ user_id: null, entity_id: id, address: `10.0.0.${LOGIN_LIMITS.account.failures - 1}` }),
    ]);
    expect(rows.filter((row) => row.action === 'login.unlock')).toEqual([
      expect.objectContaining({ user_id: leadId, entity_id: id, site_id: null }),
    ]);
    expect(rows.at(-1)!.action).toBe('login.unlock');
  });

  it('when a failure cannot be recorded, then neither the failure nor its audit row stays', async () => {
    const context = createTestContext();
    const { db, data, services } = context;
    await context.createUser('tnv.lan', 'volunteer', [{ kind: 'commune', code: '23575' }]);
    const failing = data.transaction(async () => {
      await services.loginThrottle.recordFailure('tnv.lan', '10.0.0.1');
      throw new Error('the request failed after it');
    });
    await expect(failing).rejects.toThrow('the request failed after it');
    expect(db.prepare('SELECT count(*) FROM login_failures').pluck().get()).toBe(0);
    expect(loginRows(db)).toEqual([]);
  });
});
