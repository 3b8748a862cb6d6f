import type { createTestContext } from './app.js';

type Context = Pick<ReturnType<typeof createTestContext>, 'db' | 'loginAs'>;

/** The id of the stall's pending payee-change request (undefined when there is none). */
export function pendingRequestId(db: Context['db'], stallId: number): number | undefined {
  return db.prepare("SELECT id FROM payee_changes WHERE stall_id = ? AND status = 'pending'").pluck().get(stallId) as
    number | undefined;
}

/**
 * A second person approves the stall's pending request through the app: a new team lead (every province,
 * unless a reach is given) posts "Duyệt" on the work list. Returns that lead's agent and the request's id.
 */
export async function approveAsLead(
  context: Context,
  stallId: number,
  username = 'totruong.duyet',
  reach?: Parameters<Context['loginAs']>[2],
) {
  const requestId = pendingRequestId(context.db, stallId);
  if (requestId === undefined) throw new Error(`stall ${stallId} has no pending payee-change request`);
  const lead = await context.loginAs('team_lead', username, reach);
  await lead.agent.post(`/work/payee-changes/${requestId}/approve`).type('form').send({ _csrf: lead.csrf }).expect(303);
  return { ...lead, requestId };
}
