/**
 * What both soak phases share: a free loopback port, the built server as a child process, and a client with a
 * session cookie. Every server started here is killed when the soak exits, however it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
const directories = new Set<string>();
/**
 * A soak stopped by its time limit, an uncaught exception (a closed stdout, `| head`, is one) or ^C must not
 * leave a server holding the port, nor its database in /tmp: the servers first, then their directories.
 */
function cleanUp(): void {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => process.exit(130));
}

/** A new directory under the system's temporary one, removed when the soak exits (or by `remove`). */
export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  directories.add(dir);
  return {
    path: dir,
    remove() {
      rmSync(dir, { recursive: true, force: true });
      directories.delete(dir);
    },
  };
}

export interface StartedServer {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Milliseconds from spawn to the first /healthz that answered 200. */
  readonly startMs: number;
  /** The server's stderr so far (the last 200 kB): the error handler logs every 500 there. */
  stderr(): string;
  /** Resolves once the process has exited (at once if it already has). */
  exited(): Promise<void>;
}

/**
 * Spawns `node dist/src/server.js` itself (no npm or shell in between, so a signal sent to `pid` reaches the
 * server and nothing else) and waits for /healthz.
 */
export async function startServer(env: Record<string, string>, options: { stderr?: 'inherit' | 'keep' } = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/src/server.js')], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', options.stderr === 'keep' ? 'pipe' : 'inherit'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-200_000);
  });
  let hasExited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      hasExited = true;
      running.delete(child);
      resolve();
    }),
  );
  const base = `http://127.0.0.1:${env.PORT}`;
  for (;;) {
    if (hasExited) throw new Error(`the server exited while starting:\n${stderr}`);
    try {
      const response = await fetch(`${base}/healthz`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > 30_000) throw new Error('the server did not answer /healthz within 30 s');
    await new Promise((resume) => setTimeout(resume, 20));
  }
  return {
    child,
    pid: child.pid!,
    startMs: performance.now() - started,
    stderr: () => stderr,
    exited: () => exit,
  } satisfies StartedServer;
}

/** A cookie jar of one: the session cookie the server sets. */
export class Client {
  private cookie = '';
  constructor(private readonly base: string) {}

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const response = await fetch(this.base + pathname, { ...init, headers, redirect: 'manual' });
    const set = response.headers.getSetCookie();
    if (set.length > 0) this.cookie = set.map((c) => c.split(';')[0]).join('; ');
    return response;
  }

  async csrf(pathname: string): Promise<string> {
    const html = await (await this.request(pathname)).text();
    return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? /name="csrf-token" content="([^"]+)"/.exec(html)![1]!;
  }

  /** Logs in (303 expected) and returns the session's CSRF token. */
  async login(username: string, password: string): Promise<string> {
    const loginCsrf = await this.csrf('/login');
    const login = await this.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: loginCsrf, username, password }),
    });
    await login.arrayBuffer();
    if (login.status !== 303) throw new Error(`login of ${username} answered ${login.status}`);
    return this.csrf('/');
  }
}
