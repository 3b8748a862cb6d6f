import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

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
});
