import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { createDemoTestContext } from '../helpers/app.js';

describe('assignments and the demo programme', () => {
  it('when a demo volunteer is assigned a demo site, then removing the demo removes the assignment too', async () => {
    const { db, services } = await createDemoTestContext();
    const id = (username: string) =>
      db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as number;
    const lead = (await services.users.findWithReach(id('totruong.hoalu')))!;
    const actor: Actor = { id: lead.id, role: lead.role, reach: lead.reach };
    const site = db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").pluck().get() as number;
    await services.assignments.assign(actor, site, { user_id: String(id('tnv.hoalu1')) });
    expect(db.prepare('SELECT count(*) FROM site_assignments').pluck().get()).toBe(1);

    await services.demo.remove();
    expect(db.prepare('SELECT count(*) FROM site_assignments').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM sites').pluck().get()).toBe(0);
  });
});
