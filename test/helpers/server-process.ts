import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { projectRoot } from '../../src/paths.js';

/** The real entry point (src/server.ts) from its sources, in production mode, with `env` on top. */
export function spawnServer(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', import.meta.resolve('tsx/esm'), 'src/server.ts'], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: 'production', PHOQR_SEED_DEMO: '0', ...env },
  });
}

/** Runs the server until it exits; its exit code and what it printed. */
export function runServer(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnServer(env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningServer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

/** Starts the server and resolves once it says it is running (rejects if it exits first). */
export function startServer(env: Record<string, string>): Promise<RunningServer> {
  const child = spawnServer(env);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const running = /đang chạy tại http:\/\/localhost:(\d+)/.exec(stdout);
      if (running) resolve({ child, port: Number(running[1]), output: () => ({ stdout, stderr }), exited });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before running:\n${stdout}\n${stderr}`)));
  });
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The bytes as sent (still compressed if they were). */
  readonly raw: Buffer;
}

/**
 * One HTTP request on a connection of its own (no keep-alive), so that the cluster hands consecutive requests
 * to its workers in turn.
 */
export function call(
  port: number,
  method: string,
  path: string,
  {
    cookie,
    form,
    headers = {},
  }: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          Connection: 'close',
          Accept: 'text/html,application/json',
          ...(cookie ? { Cookie: cookie } : {}),
          ...headers,
          ...(body
            ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            raw: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The cookies a response sets, as a Cookie header (name=value; …), merged over `previous`. */
export function cookiesOf(answer: Answer, previous = ''): string {
  const jar = new Map(
    previous
      .split('; ')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair] as const),
  );
  for (const line of answer.headers['set-cookie'] ?? []) {
    const pair = line.split(';')[0]!;
    jar.set(pair.slice(0, pair.indexOf('=')), pair);
  }
  return [...jar.values()].join('; ');
}
