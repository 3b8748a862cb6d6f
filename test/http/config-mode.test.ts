import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createTestContext, csrfFrom } from '../helpers/app.js';

describe('the mode the server runs in', () => {
  it('when NODE_ENV is unset (plain npm start), then it runs in production', () => {
    expect(loadConfig({}).env).toBe('production');
  });

  it('when npm run dev sets NODE_ENV=development, then it runs in development', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).env).toBe('development');
  });

  it('when NODE_ENV is something else, then start-up stops with a message naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'prod' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'prod' })).toThrow('NODE_ENV phải là development, production hoặc test');
  });

  it('when PUBLIC_BASE_URL is https, then cookies are Secure', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://phoqr.gialai.gov.vn' }).secureCookies).toBe(true);
    expect(loadConfig({}).secureCookies).toBe(false);
  });

  it('when TRUST_PROXY is unset, a hop count, a list or false, then express gets it; true is refused', () => {
    expect(loadConfig({}).trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5' }).trustProxy).toBe('10.0.0.0/8, 192.168.1.5');
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow('TRUST_PROXY=true tin mọi địa chỉ');
    expect(() => loadConfig({ TRUST_PROXY: 'proxy; drop' })).toThrow(ConfigError);
  });
});

describe('whose forwarded address counts', () => {
  async function failedLoginAddress(trustProxy: boolean | number | string): Promise<unknown> {
    const context = createTestContext(undefined, { trustProxy });
    await context.createUser('tnv.lan', 'volunteer');
    const agent = request.agent(context.app);
    const page = await agent.get('/login');
    await agent
      .post('/login')
      .set('X-Forwarded-For', '203.0.113.7')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password: 'sai-mat-khau-roi' })
      .expect(400);
    return context.db.prepare("SELECT address FROM audit_log WHERE action = 'login.failure'").pluck().get();
  }

  it('when the proxy on the same machine forwards, then the forwarded address is recorded', async () => {
    expect(await failedLoginAddress('loopback')).toBe('203.0.113.7');
  });

  it('when no proxy is trusted, then the connection address is recorded, not the claimed one', async () => {
    expect(await failedLoginAddress(false)).toMatch(/127\.0\.0\.1$/);
  });
});
