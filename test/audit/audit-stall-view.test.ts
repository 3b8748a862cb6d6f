import { describe, expect, it } from 'vitest';
import type { ReachUnit } from '../../src/vocabulary/reach.js';
import { createDemoTestContext } from '../helpers/app.js';

const PLEIKU: ReachUnit[] = [{ kind: 'commune', code: '23575' }];
const GIA_LAI: ReachUnit[] = [{ kind: 'province', code: '52' }];

type Db = Awaited<ReturnType<typeof createDemoTestContext>>['db'];

/** A stall of Phường Pleiku with a phone and an account, so that its page shows personal data. */
function stallWithPersonalData(db: Db) {
  return db
    .prepare(
      `SELECT st.id, st.site_id, st.phone, a.account_number FROM stalls st
         JOIN sites si ON si.id = st.site_id
         JOIN stall_accounts a ON a.stall_id = st.id
       WHERE si.commune_code = '23575' AND st.phone IS NOT NULL AND st.owner_name <> ''
       ORDER BY st.id LIMIT 1`,
    )
    .get() as { id: number; site_id: number; phone: string; account_number: string };
}

const viewRows = (db: Db) =>
  db
    .prepare(
      'SELECT user_id, action, entity, entity_id, site_id, commune_code, changes FROM audit_log ' +
        "WHERE action = 'stall.view_personal' ORDER BY id",
    )
    .all();

describe('audit rows of views of personal data', () => {
  it('when a volunteer opens a stall page and its edit form, then each writes stall.view_personal there', async () => {
    const context = await createDemoTestContext();
    const stall = stallWithPersonalData(context.db);
    const { agent, userId } = await context.loginAs('volunteer', 'tnv.thu', PLEIKU);
    const page = await agent.get(`/stalls/${stall.id}`).expect(200);
    expect(page.text).toContain(stall.phone);
    await agent.get(`/stalls/${stall.id}/edit`).expect(200);

    const row = {
      user_id: userId,
      action: 'stall.view_personal',
      entity: 'stall',
      entity_id: stall.id,
      site_id: stall.site_id,
      commune_code: '23575',
      changes: '{}',
    };
    expect(viewRows(context.db)).toEqual([row, row]);
    const log = JSON.stringify(context.db.prepare('SELECT * FROM audit_log').all());
    expect(log).not.toContain(stall.phone);
    expect(log).not.toContain(stall.account_number);
  });

  it('when a viewer opens the same stall page, masked, then no view row is written', async () => {
    const context = await createDemoTestContext();
    const stall = stallWithPersonalData(context.db);
    const { agent } = await context.loginAs('viewer', 'xem.thu', GIA_LAI);
    const page = await agent.get(`/stalls/${stall.id}`).expect(200);
    expect(page.text).not.toContain(stall.phone);
    expect(viewRows(context.db)).toEqual([]);
  });

  it('when a stall lies outside the volunteer’s reach, then it answers 404 and writes no view row', async () => {
    const context = await createDemoTestContext();
    const stall = stallWithPersonalData(context.db);
    const { agent } = await context.loginAs('volunteer', 'tnv.xa', [{ kind: 'commune', code: '23887' }]);
    await agent.get(`/stalls/${stall.id}`).expect(404);
    expect(viewRows(context.db)).toEqual([]);
  });

  it('when the name-check page is opened from the stall, then that view of the full number is recorded', async () => {
    const context = await createDemoTestContext();
    const stall = stallWithPersonalData(context.db);
    const { agent, userId } = await context.loginAs('volunteer', 'tnv.thu', PLEIKU);

    const page = await agent.get(`/stalls/${stall.id}/name-check`).expect(200);
    await agent.get(`/stalls/${stall.id}/name-check?new=1`).expect(200);

    expect(page.text).toContain(stall.account_number);
    // Only the first: with ?new=1 the volunteer has just typed the account in the onboarding form.
    expect(viewRows(context.db)).toEqual([
      expect.objectContaining({ user_id: userId, action: 'stall.view_personal', entity_id: stall.id }),
    ]);
  });
});
