import { createTestContext } from './app.js';

/** The pilot market most tests work in: Chợ Hoa Lư, Phường Pleiku (commune 23575), target 70 %. */
export const CHO_HOA_LU = { kind: 'market', name: 'Chợ Hoa Lư', commune_code: '23575', target_percent: '70' };

/**
 * A fresh app whose first site (id 1) a team lead created through the site form, as in the field: the
 * context, and the lead logged in (agent, csrf, userId) to go on with.
 */
export async function contextWithSite(site: Record<string, string> = CHO_HOA_LU) {
  const context = createTestContext();
  const lead = await context.loginAs('team_lead', 'totruong');
  await lead.agent
    .post('/sites')
    .type('form')
    .send({ ...site, _csrf: lead.csrf })
    .expect(303);
  return { context, lead };
}
