import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/users/password.js';
import type { ReachUnit } from '../../src/vocabulary/reach.js';
import { createTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';

/** Phường Pleiku and Xã Chư Prông, both in Gia Lai (52); Phường Bến Thành in Hồ Chí Minh City (79). */
const PLEIKU: ReachUnit[] = [{ kind: 'commune', code: '23575' }];
const CHU_PRONG: ReachUnit[] = [{ kind: 'commune', code: '23887' }];
const BEN_THANH: ReachUnit[] = [{ kind: 'commune', code: '26743' }];
const GIA_LAI: ReachUnit[] = [{ kind: 'province', code: '52' }];

type Context = ReturnType<typeof createTestContext>;

const userRow = (context: Context, username: string) =>
  context.db
    .prepare('SELECT id, display_name, role, active, must_change_password, phone FROM users WHERE username = ?')
    .get(username) as
    | { id: number; display_name: string; role: string; active: number; must_change_password: number; phone: string }
    | undefined;

const reachRows = (context: Context, userId: number) =>
  context.db
    .prepare('SELECT province_code, commune_code, site_id FROM user_reach WHERE user_id = ? ORDER BY id')
    .all(userId);

const sessionsOf = (context: Context, userId: number) =>
  context.db.prepare('SELECT COUNT(*) FROM sessions WHERE user_id = ?').pluck().get(userId);

const hashOf = (context: Context, username: string) =>
  context.db.prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(username) as string;

/** The one-time password a page shows: the `.otp` element's text. */
function oneTimePassword(html: string): string {
  const match = /class="otp"[^>]*>([^<]+)</.exec(html);
  if (!match) throw new Error('no one-time password on the page');
  return match[1]!;
}

/** The list of users on the page, without the header (which names the logged-in user). */
function listOf(html: string): string {
  return /<ul class="plain user-list">[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
}

async function logIn(context: Context, username: string, password = TEST_PASSWORD) {
  const agent = request.agent(context.app);
  const page = await agent.get('/login');
  const response = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), username, password });
  return { agent, response };
}

describe('GET /admin/users, the list', () => {
  it('when an admin opens it, then everyone is listed with role and reach in words, not cached', async () => {
    const context = createTestContext();
    await context.createUser('tnv.lan', 'volunteer', PLEIKU);
    await context.createUser('totruong.ben', 'team_lead', BEN_THANH);
    await context.createUser('lanhdao.gl', 'leader', GIA_LAI);
    const { agent } = await context.loginAs('admin', 'quan.tri');

    const page = await agent.get('/admin/users').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    for (const username of ['tnv.lan', 'totruong.ben', 'lanhdao.gl', 'quan.tri']) expect(page.text).toContain(username);
    expect(page.text).toContain('Phường Pleiku (Gia Lai)');
    expect(page.text).toContain('Phường Bến Thành (Thành phố Hồ Chí Minh)');
    expect(page.text).toContain('Tỉnh Gia Lai');
    expect(page.text).toContain('Toàn quốc');
    expect(page.text).toContain('Tổ trưởng / Bí thư Đoàn xã');
    expect(page.text).toContain('4 người dùng');
  });

  it(
    'when a team lead opens it, then only the volunteers whose reach lies inside the lead’s are listed ' +
      '(not other communes, not a whole province, not other leads or admins)',
    async () => {
      const context = createTestContext();
      await context.createUser('tnv.trong', 'volunteer', PLEIKU);
      await context.createUser('tnv.ngoai', 'volunteer', CHU_PRONG);
      await context.createUser('tnv.tinh', 'volunteer', GIA_LAI);
      await context.createUser('totruong.khac', 'team_lead', PLEIKU);
      const { agent } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);

      const page = await agent.get('/admin/users').expect(200);
      const list = listOf(page.text);
      expect(list).toContain('tnv.trong');
      for (const hidden of ['tnv.ngoai', 'tnv.tinh', 'totruong.khac', 'totruong.pleiku']) {
        expect(list).not.toContain(hidden);
      }
      expect(page.text).toContain('1 người dùng');
      // A team lead gives only the volunteer role: there is no role filter to choose from.
      expect(page.text).not.toContain('name="role"');
    },
  );

  it('when searching without accents and filtering, then only the matching users are listed', async () => {
    const context = createTestContext();
    const creator = await context.createUser('quan.tri0', 'admin');
    await context.services.users.createUserAs(
      { id: creator, role: 'admin', reach: { wholeCountry: true, provinces: [], communes: [], sites: [] } },
      { username: 'tnv.lan', displayName: 'Nguyễn Thị Lan', phone: '', role: 'volunteer', reachText: 'commune:23575' },
    );
    await context.createUser('tnv.minh', 'volunteer', PLEIKU);
    await context.createUser('tnv.hoa', 'volunteer', PLEIKU);
    await context.services.accountAccess.disable(null, 'tnv.hoa');
    for (let i = 0; i < 20; i++) await context.services.loginThrottle.recordFailure('tnv.minh', `10.0.0.${i}`);
    const { agent } = await context.loginAs('admin', 'quan.tri');

    const found = await agent.get('/admin/users').query({ q: 'nguyen thi LAN' }).expect(200);
    expect(found.text).toContain('Nguyễn Thị Lan');
    expect(found.text).not.toContain('tnv.minh');
    const disabled = await agent.get('/admin/users').query({ status: 'disabled' }).expect(200);
    expect(disabled.text).toContain('tnv.hoa');
    expect(disabled.text).not.toContain('tnv.lan');
    expect(disabled.text).toContain('Đã vô hiệu hóa');
    const locked = await agent.get('/admin/users').query({ locked: '1' }).expect(200);
    expect(locked.text).toContain('tnv.minh');
    expect(locked.text).not.toContain('tnv.hoa');
    expect(locked.text).toContain('Bị khóa do đăng nhập sai');
    const admins = await agent.get('/admin/users').query({ role: 'admin' }).expect(200);
    expect(admins.text).toContain('quan.tri');
    expect(admins.text).not.toContain('tnv.');
  });

  it('when a volunteer, viewer or leader opens user management, then it answers 403 whatever the user id', async () => {
    const context = createTestContext();
    const targetId = await context.createUser('tnv.lan', 'volunteer', PLEIKU);
    for (const role of ['volunteer', 'viewer', 'leader'] as const) {
      const { agent } = await context.loginAs(role, `nguoi.${role}`);
      for (const path of ['/admin/users', `/admin/users/${targetId}`, '/admin/users/999', '/admin/users/import']) {
        const response = await agent.get(path).expect(403);
        expect(response.text).toContain('Chỉ quản trị viên và tổ trưởng quản lý được tài khoản người dùng.');
      }
    }
  });
});

describe('one user, as a team lead', () => {
  it(
    'when the user lies outside the lead’s reach, then their page and every action answer 404 like a missing ' +
      'user, and nothing changes',
    async () => {
      const context = createTestContext();
      const outsideId = await context.createUser('tnv.ngoai', 'volunteer', CHU_PRONG);
      const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);

      const missing = await agent.get('/admin/users/9999').expect(404);
      const outside = await agent.get(`/admin/users/${outsideId}`).expect(404);
      expect(outside.text).toBe(missing.text);
      expect(outside.text).toContain('Không tìm thấy người dùng này.');
      for (const action of ['disable', 'reset-password', 'unlock']) {
        await agent.post(`/admin/users/${outsideId}/${action}`).type('form').send({ _csrf: csrf }).expect(404);
      }
      await agent
        .post(`/admin/users/${outsideId}`)
        .type('form')
        .send({ _csrf: csrf, display_name: 'Đổi tên', role: 'volunteer', reach: 'commune:23575' })
        .expect(404);
      expect(userRow(context, 'tnv.ngoai')).toMatchObject({ active: 1, display_name: 'Người dùng tnv.ngoai' });
    },
  );

  it('when the user inside the reach is another team lead, then the lead gets 403 in Vietnamese', async () => {
    const context = createTestContext();
    const otherLeadId = await context.createUser('totruong.khac', 'team_lead', PLEIKU);
    const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);
    const page = await agent.get(`/admin/users/${otherLeadId}`).expect(403);
    expect(page.text).toContain('Tổ trưởng chỉ quản lý được tài khoản tình nguyện viên trong phạm vi của mình.');
    await agent.post(`/admin/users/${otherLeadId}/disable`).type('form').send({ _csrf: csrf }).expect(403);
    expect(userRow(context, 'totruong.khac')!.active).toBe(1);
  });

  it('when a team lead grants team lead or admin, then it answers 403 and nobody is created or promoted', async () => {
    const context = createTestContext();
    const volunteerId = await context.createUser('tnv.lan', 'volunteer', PLEIKU);
    const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);
    for (const role of ['team_lead', 'admin']) {
      const created = await agent
        .post('/admin/users')
        .type('form')
        .send({ _csrf: csrf, username: `moi.${role}`, display_name: 'Người mới', role, reach: 'commune:23575' })
        .expect(403);
      expect(created.text).toContain('Tổ trưởng chỉ cấp được vai trò tình nguyện viên.');
      expect(userRow(context, `moi.${role}`)).toBeUndefined();
      await agent
        .post(`/admin/users/${volunteerId}`)
        .type('form')
        .send({ _csrf: csrf, display_name: 'Lan', role, reach: 'commune:23575' })
        .expect(403);
    }
    expect(userRow(context, 'tnv.lan')!.role).toBe('volunteer');
    // The form offers the volunteer role only.
    const form = await agent.get('/admin/users/new').expect(200);
    expect(form.text).toContain('value="volunteer"');
    expect(form.text).not.toContain('value="team_lead"');
  });

  it(
    'when a team lead creates a volunteer in their commune, then the one-time password is shown once, ' +
      'not cached, and saved only as a hash that must be changed',
    async () => {
      const context = createTestContext();
      const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);
      const response = await agent
        .post('/admin/users')
        .type('form')
        .send({
          _csrf: csrf,
          username: 'tnv.lan',
          display_name: '  Nguyễn   Thị Lan ',
          phone: '0905 123 456',
          role: 'volunteer',
          commune_query: 'Phường Pleiku',
        })
        .expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const password = oneTimePassword(response.text);
      expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(response.text).toContain('http://localhost:3000/login');

      const row = userRow(context, 'tnv.lan')!;
      expect(row).toMatchObject({ display_name: 'Nguyễn Thị Lan', role: 'volunteer', must_change_password: 1 });
      expect(row.phone).toBe('0905123456');
      expect(reachRows(context, row.id)).toEqual([{ province_code: null, commune_code: '23575', site_id: null }]);
      expect(hashOf(context, 'tnv.lan')).not.toContain(password);
      expect(await verifyPassword(password, hashOf(context, 'tnv.lan'))).toBe(true);
      // The user's page does not show it again.
      const page = await agent.get(`/admin/users/${row.id}`).expect(200);
      expect(page.text).not.toContain(password);
    },
  );

  it(
    'when the reach lies outside the lead’s, or fields are wrong, then the form comes back 400 with the ' +
      'messages next to the fields and nothing is saved',
    async () => {
      const context = createTestContext();
      const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);
      const outside = await agent
        .post('/admin/users')
        .type('form')
        .send({
          _csrf: csrf,
          username: 'tnv.lan',
          display_name: 'Lan',
          role: 'volunteer',
          reach_codes: 'commune:23887',
        })
        .expect(400);
      expect(outside.text).toContain('Ngoài phạm vi của bạn: Xã Chư Prông (Gia Lai).');
      expect(outside.text).toContain('id="reach-error"');

      const wrong = await agent
        .post('/admin/users')
        .type('form')
        .send({ _csrf: csrf, username: 'Tnv Lan!', display_name: '', phone: '12345', role: 'volunteer' })
        .expect(400);
      expect(wrong.text).toMatch(/id="f-username-error"[^>]*>Tên đăng nhập gồm 3–32 ký tự/);
      expect(wrong.text).toMatch(/id="f-display_name-error"[^>]*>Nhập họ tên./);
      expect(wrong.text).toMatch(/id="f-phone-error"[^>]*>Số điện thoại gồm 10 chữ số/);
      expect(wrong.text).toContain('Tình nguyện viên cần một phạm vi');
      expect(wrong.text).toContain('value="12345"');
      expect(context.db.prepare("SELECT COUNT(*) FROM users WHERE username LIKE 'tnv%'").pluck().get()).toBe(0);
    },
  );
});

describe('editing a user', () => {
  it(
    'when an admin changes role and reach (a unit unticked, a province added), then both are saved; ' +
      'when one field is wrong, then nothing is',
    async () => {
      const context = createTestContext();
      const id = await context.createUser('tnv.lan', 'volunteer', [...PLEIKU, ...CHU_PRONG]);
      const { agent, csrf } = await context.loginAs('admin', 'quan.tri');

      const form = await agent.get(`/admin/users/${id}/edit`).expect(200);
      expect(form.text).toContain('value="commune:23575" checked');
      expect(form.text).toContain('Xã Chư Prông (Gia Lai)');

      const refused = await agent
        .post(`/admin/users/${id}`)
        .type('form')
        .send({ _csrf: csrf, display_name: 'Tên mới', role: 'team_lead', reach: 'commune:23575', reach_codes: 'xa:1' })
        .expect(400);
      expect(refused.text).toContain('&#34;xa:1&#34; không phải phạm vi hợp lệ.');
      expect(userRow(context, 'tnv.lan')).toMatchObject({ role: 'volunteer', display_name: 'Người dùng tnv.lan' });
      expect(reachRows(context, id)).toHaveLength(2);

      await agent
        .post(`/admin/users/${id}`)
        .type('form')
        .send({
          _csrf: csrf,
          display_name: 'Lan',
          phone: '',
          role: 'team_lead',
          reach: 'commune:23575',
          add_province: '79',
        })
        .expect(303)
        .expect('Location', `/admin/users/${id}?done=saved`);
      expect(userRow(context, 'tnv.lan')).toMatchObject({ role: 'team_lead', display_name: 'Lan', phone: null });
      expect(reachRows(context, id)).toEqual([
        { province_code: '79', commune_code: null, site_id: null },
        { province_code: null, commune_code: '23575', site_id: null },
      ]);
    },
  );

  it('when an admin changes their own role, then it is refused next to the role', async () => {
    const context = createTestContext();
    const { agent, csrf, userId } = await context.loginAs('admin', 'quan.tri');
    const response = await agent
      .post(`/admin/users/${userId}`)
      .type('form')
      .send({ _csrf: csrf, display_name: 'Quản trị', role: 'viewer', reach_codes: 'province:52' })
      .expect(400);
    expect(response.text).toContain('Bạn không tự đổi được vai trò của mình');
    expect(userRow(context, 'quan.tri')!.role).toBe('admin');
  });
});

describe('disabling, enabling, unlocking', () => {
  it(
    'when a team lead disables a volunteer of their commune, then the volunteer’s sessions end at once; ' +
      'enabled again, they log in',
    async () => {
      const context = createTestContext();
      const volunteer = await context.loginAs('volunteer', 'tnv.lan', PLEIKU);
      expect(sessionsOf(context, volunteer.userId)).toBe(1);
      const lead = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);

      const page = await lead.agent.get(`/admin/users/${volunteer.userId}`).expect(200);
      expect(page.text).toContain('Vô hiệu hóa');
      await lead.agent
        .post(`/admin/users/${volunteer.userId}/disable`)
        .type('form')
        .send({ _csrf: lead.csrf })
        .expect(303)
        .expect('Location', `/admin/users/${volunteer.userId}?done=disabled&sessions=1`);
      expect(sessionsOf(context, volunteer.userId)).toBe(0);
      expect(userRow(context, 'tnv.lan')!.active).toBe(0);
      const next = await volunteer.agent.get('/sites').set('Accept', 'text/html').expect(302);
      expect(next.headers.location).toBe('/login?next=%2Fsites');
      const done = await lead.agent.get(`/admin/users/${volunteer.userId}?done=disabled&sessions=1`).expect(200);
      expect(done.text).toContain('1 phiên đăng nhập đã kết thúc.');

      await lead.agent
        .post(`/admin/users/${volunteer.userId}/enable`)
        .type('form')
        .send({ _csrf: lead.csrf })
        .expect(303);
      expect(userRow(context, 'tnv.lan')!.active).toBe(1);
      expect((await logIn(context, 'tnv.lan')).response.status).toBe(303);
    },
  );

  it('when an admin disables themselves, then it answers 403 and they stay active', async () => {
    const context = createTestContext();
    const { agent, csrf, userId } = await context.loginAs('admin', 'quan.tri');
    const response = await agent.post(`/admin/users/${userId}/disable`).type('form').send({ _csrf: csrf }).expect(403);
    expect(response.text).toContain('Bạn không tự vô hiệu hóa được tài khoản của mình.');
    expect(userRow(context, 'quan.tri')!.active).toBe(1);
  });

  it('when a volunteer’s account is locked, then the lead sees it, is offered “Mở khóa”, and unlocks it', async () => {
    const context = createTestContext();
    const id = await context.createUser('tnv.lan', 'volunteer', PLEIKU);
    for (let i = 0; i < 20; i++) await context.services.loginThrottle.recordFailure('tnv.lan', `10.0.0.${i}`);
    const lead = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);

    const page = await lead.agent.get(`/admin/users/${id}`).expect(200);
    expect(page.text).toContain('Bị khóa do đăng nhập sai');
    expect(page.text).toContain(`action="/admin/users/${id}/unlock"`);
    await lead.agent.post(`/admin/users/${id}/unlock`).type('form').send({ _csrf: lead.csrf }).expect(303);
    expect(await context.services.loginThrottle.isLocked('tnv.lan')).toBe(false);
    expect(context.db.prepare("SELECT by_user FROM login_locks WHERE event = 'unlocked'").pluck().all()).toEqual([
      lead.userId,
    ]);
    const after = await lead.agent.get(`/admin/users/${id}`).expect(200);
    expect(after.text).not.toContain(`action="/admin/users/${id}/unlock"`);
  });
});

describe('resetting a password', () => {
  it(
    'when an admin resets a password, then it is shown once (no-store, not in a URL), the user’s sessions end, ' +
      'and at the next login every page sends them to /account/password until they choose their own',
    async () => {
      const context = createTestContext();
      const volunteer = await context.loginAs('volunteer', 'tnv.lan', PLEIKU);
      const admin = await context.loginAs('admin', 'quan.tri');

      const reset = await admin.agent
        .post(`/admin/users/${volunteer.userId}/reset-password`)
        .type('form')
        .send({ _csrf: admin.csrf })
        .expect(200);
      expect(reset.headers['cache-control']).toBe('no-store');
      expect(reset.headers.location).toBeUndefined();
      const password = oneTimePassword(reset.text);
      expect(await verifyPassword(password, hashOf(context, 'tnv.lan'))).toBe(true);
      expect(userRow(context, 'tnv.lan')!.must_change_password).toBe(1);
      expect(sessionsOf(context, volunteer.userId)).toBe(0);
      expect((await volunteer.agent.get('/').set('Accept', 'text/html')).status).toBe(302);
      // The old password no longer works; the one-time one does.
      expect((await logIn(context, 'tnv.lan')).response.status).toBe(400);
      const { agent, response } = await logIn(context, 'tnv.lan', password);
      expect(response.status).toBe(303);

      for (const path of ['/', '/sites', '/admin/users', '/dashboard']) {
        const page = await agent.get(path).set('Accept', 'text/html').expect(302);
        expect(page.headers.location).toBe('/account/password');
      }
      await agent.get('/api/v1/provinces').set('Accept', 'application/json').expect(403);
      const form = await agent.get('/account/password').expect(200);
      expect(form.text).toContain('Bạn đang dùng mật khẩu dùng một lần.');
      const csrf = csrfFrom(form.text);
      const refused = await agent
        .post('/sites')
        .type('form')
        .send({ _csrf: csrf, kind: 'market', name: 'Chợ mới', commune_code: '23575' })
        .expect(403);
      expect(refused.text).toContain('Bạn cần đổi mật khẩu dùng một lần trước khi tiếp tục.');

      await agent
        .post('/account/password')
        .type('form')
        .send({
          _csrf: csrf,
          current_password: password,
          new_password: 'mùa xuân trên phố núi',
          confirm_password: 'mùa xuân trên phố núi',
        })
        .expect(303)
        .expect('Location', '/account/password?changed=1');
      expect(userRow(context, 'tnv.lan')!.must_change_password).toBe(0);
      await agent.get('/sites').set('Accept', 'text/html').expect(200);
      expect((await logIn(context, 'tnv.lan', 'mùa xuân trên phố núi')).response.status).toBe(303);
    },
  );
});
