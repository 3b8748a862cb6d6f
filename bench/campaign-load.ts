/**
 * The campaign bench's load: open-loop Poisson arrivals of the day's requests over a pool of logged-in sessions.
 *
 * Open loop: arrivals are scheduled by the clock (exponential gaps) and sent when due, whatever the answers
 * before them are doing, so a slow server meets the same arrival rate instead of being given time to recover;
 * latency counts from the scheduled time, so time spent waiting for a socket counts too. Bounded: one keep-alive
 * agent with a fixed number of sockets, at most MAX_IN_FLIGHT requests in flight (an arrival over that is not
 * sent and counts as an error), and a timeout per request.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchUser } from './campaign-registry.js';

const SOCKETS = 128;
const MAX_IN_FLIGHT = 2_000;
const TIMEOUT_MS = 10_000;
/** The mix, per minute: each volunteer one onboarding and ten page views, each leader one dashboard. */
const SUBMITS_PER_VOLUNTEER_MINUTE = 1;
const VIEWS_PER_VOLUNTEER_MINUTE = 10;
const DASHBOARDS_PER_LEADER_MINUTE = 1;
const BANK_BIN = '970418';

export interface Session {
  readonly user: BenchUser;
  readonly cookie: string;
  readonly csrf: string;
}

/** What the server answered: status, where it redirects to, and how many body bytes came (compressed or not). */
interface Answer {
  readonly status: number;
  readonly location: string | undefined;
  readonly bytes: number;
  readonly setCookie: string[];
  readonly body: string;
}

/** One request over `agent`; `keepBody` keeps the text (logins), page views only count their bytes. */
interface Request {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly keepBody?: boolean;
}

/**
 * A kept-alive socket the server closed as idle just as a request went out on it answers ECONNRESET before the
 * server read anything: the request is sent once more on a new socket, as browsers do (a submit carries its
 * idempotency key, so even a submit the server did read would land on its first result).
 */
async function send(agent: http.Agent, port: number, request: Request): Promise<Answer> {
  try {
    return await sendOnce(agent, port, request);
  } catch (error) {
    if (!(error instanceof StaleSocketError)) throw error;
    return sendOnce(agent, port, request);
  }
}

class StaleSocketError extends Error {}

function sendOnce(agent: http.Agent, port: number, request: Request): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let answered = false;
    // A deadline for the whole exchange, not the socket's idle timer: a request still queued for one of the
    // agent's sockets has no socket yet, and under overload that queue is where the time goes.
    const deadline = setTimeout(() => outgoing.destroy(new Error(`timeout after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      outcome();
    };
    const outgoing = http.request(
      { agent, host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (request.keepBody) chunks.push(chunk);
        });
        response.on('end', () =>
          settle(() =>
            resolve({
              status: response.statusCode ?? 0,
              location: response.headers.location,
              bytes,
              setCookie: response.headers['set-cookie'] ?? [],
              body: request.keepBody ? Buffer.concat(chunks).toString('utf8') : '',
            }),
          ),
        );
        // A body cut short (the deadline, a reset) closes without 'end'.
        response.on('error', (error) => settle(() => reject(error)));
        response.on('close', () => settle(() => reject(new Error('the answer was cut short'))));
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const stale = outgoing.reusedSocket && error.code === 'ECONNRESET' && !answered;
      settle(() => reject(stale ? new StaleSocketError(error.message) : error));
    });
    outgoing.end(request.body);
  });
}

const cookieOf = (setCookie: string[]) => setCookie.map((c) => c.split(';')[0]).join('; ');

/** Logs `user` in once (the login form's CSRF, the POST, then the session's token from /api/v1/session). */
export async function logIn(agent: http.Agent, port: number, user: BenchUser, password: string): Promise<Session> {
  const form = await send(agent, port, { method: 'GET', path: '/login', headers: {}, keepBody: true });
  const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (!loginCsrf) throw new Error(`no CSRF token on /login (${form.status})`);
  const body = new URLSearchParams({ _csrf: loginCsrf, username: user.username, password }).toString();
  const login = await send(agent, port, {
    method: 'POST',
    path: '/login',
    headers: { cookie: cookieOf(form.setCookie), 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  if (login.status !== 303 || login.setCookie.length === 0) {
    throw new Error(`login of ${user.username} answered ${login.status} → ${login.location}`);
  }
  const cookie = cookieOf(login.setCookie);
  const session = await send(agent, port, {
    method: 'GET',
    path: '/api/v1/session',
    headers: { cookie },
    keepBody: true,
  });
  const { csrf } = JSON.parse(session.body) as { csrf: string };
  return { user, cookie, csrf };
}

export function keepAliveAgent(): http.Agent {
  // Idle sockets are dropped before the server's keep-alive timeout (Node's default, 5 s) would close them.
  return new http.Agent({ keepAlive: true, maxSockets: SOCKETS, timeout: 4_000 });
}

// ---------------------------------------------------------------------------------------------- the mix

/** Routes as the tables name them: one row each, whatever the ids in the URL. */
export const ROUTES = [
  'POST /onboard/sites/:id',
  'GET /onboard',
  'GET /sites/:id',
  'GET /sites',
  'GET /',
  'GET /dashboard',
];
export type Route = (typeof ROUTES)[number];

interface Planned {
  readonly route: Route;
  readonly session: Session;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  /** For a submit: the label it creates, to be looked for in the database afterwards. */
  readonly label?: string;
}

type ViewRoute = 'GET /onboard' | 'GET /sites/:id' | 'GET /sites' | 'GET /';
/** Page views in the mix: the site picker and site pages most, then the site list and home. */
const VIEW_WEIGHTS: readonly [ViewRoute, number][] = [
  ['GET /onboard', 3],
  ['GET /sites/:id', 3],
  ['GET /sites', 2],
  ['GET /', 2],
];

export class Mix {
  private sequence = 0;

  constructor(
    private readonly volunteers: readonly Session[],
    private readonly leaders: readonly Session[],
    private readonly province: string,
    /** Goes into every label: a label is unique per site, and a reused registry keeps earlier runs' stalls. */
    readonly runTag: string,
    /** Six digits of this run's own: an account number already used elsewhere would ask for a confirmation. */
    private readonly accountPrefix: string,
    private readonly random: () => number,
  ) {}

  /** Arrivals per second for `n` volunteers and n/10 leaders. */
  static rate(n: number): number {
    const perMinute =
      n * (SUBMITS_PER_VOLUNTEER_MINUTE + VIEWS_PER_VOLUNTEER_MINUTE) + (n / 10) * DASHBOARDS_PER_LEADER_MINUTE;
    return perMinute / 60;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /**
   * The next arrival. N virtual volunteers on a pool of sessions are one Poisson stream per session; the sum of
   * Poisson streams is Poisson, so one stream whose arrivals pick their kind by rate and their session at random.
   */
  next(step: number): Planned {
    const submits = SUBMITS_PER_VOLUNTEER_MINUTE;
    const views = VIEWS_PER_VOLUNTEER_MINUTE;
    const dashboards = DASHBOARDS_PER_LEADER_MINUTE / 10;
    const roll = this.random() * (submits + views + dashboards);
    if (roll < dashboards) return this.dashboard();
    if (roll < dashboards + submits) return this.submit(step);
    return this.view();
  }

  private dashboard(): Planned {
    const session = this.pick(this.leaders);
    return { route: 'GET /dashboard', session, method: 'GET', path: `/dashboard?scope=province:${this.province}` };
  }

  private view(): Planned {
    const session = this.pick(this.volunteers);
    let roll = this.random() * VIEW_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
    const route: ViewRoute = VIEW_WEIGHTS.find(([, weight]) => (roll -= weight) < 0)?.[0] ?? 'GET /';
    const paths: Record<ViewRoute, string> = {
      'GET /onboard': '/onboard',
      'GET /sites/:id': `/sites/${this.pick(session.user.sites)}`,
      'GET /sites': '/sites',
      'GET /': '/',
    };
    return { route, session, method: 'GET', path: paths[route] };
  }

  /** The onboarding form as the phone sends it: a new stall with a typed account, a fresh key, a unique label. */
  private submit(step: number): Planned {
    const session = this.pick(this.volunteers);
    const n = ++this.sequence;
    const label = `Tải ${this.runTag}-${step}-${n}`;
    const body = new URLSearchParams({
      _csrf: session.csrf,
      idempotency_key: randomUUID(),
      label,
      business_name: 'Tạp hóa ngày ra quân',
      goods_category: 'tap_hoa',
      holder_name: 'Nguyễn Văn Tải',
      bank_bin: BANK_BIN,
      account_number: `${this.accountPrefix}${String(n).padStart(8, '0')}`,
      consent: 'yes',
    }).toString();
    const path = `/onboard/sites/${this.pick(session.user.sites)}`;
    return { route: 'POST /onboard/sites/:id', session, method: 'POST', path, body, label };
  }
}

// ---------------------------------------------------------------------------------------------- one step

export interface Acknowledged {
  readonly label: string;
  readonly stallId: number;
}

export interface StepResult {
  readonly n: number;
  /** How long arrivals were sent: shorter than asked when the step was clearly failing. */
  readonly seconds: number;
  /** Requests answered per second (any status), from the first arrival to the last answer. */
  readonly answeredPerSecond: number;
  readonly latencies: Map<Route, number[]>;
  readonly bytes: Map<Route, number>;
  /** Per route: not sent (over the in-flight cap), timed out, failed, or answered with an unexpected status. */
  readonly errors: Map<Route, number>;
  /** A few of the errors, to say what went wrong. */
  readonly errorSamples: string[];
  readonly acknowledged: Acknowledged[];
  /** Submits with no answer (timeout, dropped): they may or may not have been saved. */
  readonly unanswered: string[];
  /** How late the generator sent arrivals (ms, p99): a late generator would mean the bench was measured. */
  readonly sendLagP99Ms: number;
  readonly clientLoopP99Ms: number;
  /** The bench process's own CPU use over the step, in cores. */
  readonly clientCores: number;
}

function expected(planned: Planned, answer: Answer): boolean {
  if (planned.method === 'POST') return answer.status === 303 && /^\/stalls\/\d+/.test(answer.location ?? '');
  return answer.status === 200;
}

/**
 * A step that has already failed many requests will not pass: it ends early (after the first timeouts could
 * have come), so that the search spends its time near the answer rather than in overload.
 */
function clearlyFailing(elapsedMs: number, errors: number, sent: number): boolean {
  return elapsedMs > TIMEOUT_MS + 1_000 && errors > Math.max(50, sent * 0.05);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function add<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/**
 * Drives `n` volunteers (and n/10 leaders) for `seconds`, then waits for the answers still in flight (each has
 * its timeout) so that the next step starts on a quiet server and every submit's outcome is known.
 */
export async function runStep(
  agent: http.Agent,
  port: number,
  mix: Mix,
  n: number,
  step: number,
  seconds: number,
  random: () => number,
): Promise<StepResult> {
  const rate = Mix.rate(n);
  const latencies = new Map<Route, number[]>(ROUTES.map((route) => [route, []]));
  const bytes = new Map<Route, number>();
  const errors = new Map<Route, number>();
  const errorSamples: string[] = [];
  const acknowledged: Acknowledged[] = [];
  const unanswered: string[] = [];
  const lags: number[] = [];
  let inFlight = 0;
  let answered = 0;
  const pending = new Set<Promise<void>>();
  const errorCount = () => [...errors.values()].reduce((sum, count) => sum + count, 0);
  const fail = (route: Route, why: string) => {
    add(errors, route, 1);
    if (errorSamples.length < 8) errorSamples.push(`${route}: ${why}`);
  };

  const dispatch = (planned: Planned, scheduled: number) => {
    if (inFlight >= MAX_IN_FLIGHT) return fail(planned.route, `not sent: ${MAX_IN_FLIGHT} in flight`);
    inFlight++;
    const headers: Record<string, string> = {
      cookie: planned.session.cookie,
      accept: 'text/html',
      'accept-encoding': 'gzip, br',
    };
    if (planned.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const done = send(agent, port, { method: planned.method, path: planned.path, headers, body: planned.body })
      .then((answer) => {
        answered++;
        latencies.get(planned.route)!.push(performance.now() - scheduled);
        add(bytes, planned.route, answer.bytes);
        if (!expected(planned, answer)) return fail(planned.route, `${answer.status} → ${answer.location ?? '-'}`);
        if (planned.label) {
          acknowledged.push({ label: planned.label, stallId: Number(/^\/stalls\/(\d+)/.exec(answer.location!)![1]) });
        }
      })
      .catch((error: unknown) => {
        fail(planned.route, String((error as Error).message ?? error));
        if (planned.label) unanswered.push(planned.label);
      })
      .finally(() => {
        inFlight--;
        pending.delete(done);
      });
    pending.add(done);
  };

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let end = started + seconds * 1000;
  let sent = 0;
  let nextAt = started;
  await new Promise<void>((finished) => {
    const tick = () => {
      const now = performance.now();
      if (clearlyFailing(now - started, errorCount(), sent)) end = now;
      // Every arrival that is due goes now, however many: the schedule does not wait for the server.
      while (nextAt <= now && nextAt < end) {
        sent++;
        lags.push(now - nextAt);
        dispatch(mix.next(step), nextAt);
        nextAt += -Math.log(1 - random()) * (1000 / rate);
      }
      // The step lasts its whole duration even when the last arrival came well before its end (a low rate).
      if (nextAt >= end) return void setTimeout(finished, Math.max(0, end - performance.now()));
      setTimeout(tick, Math.max(0, Math.min(nextAt - performance.now(), 50)));
    };
    tick();
  });
  const elapsed = (Math.min(end, performance.now()) - started) / 1000;
  await Promise.all([...pending]);
  loop.disable();
  const cpu = process.cpuUsage(cpuBefore);
  for (const list of latencies.values()) list.sort((a, b) => a - b);
  return {
    n,
    seconds: elapsed,
    // Over the whole step, the drain included: what the server got through, not what was asked of it.
    answeredPerSecond: answered / ((performance.now() - started) / 1000),
    latencies,
    bytes,
    errors,
    errorSamples,
    acknowledged,
    unanswered,
    sendLagP99Ms: percentile(
      lags.sort((a, b) => a - b),
      99,
    ),
    clientLoopP99Ms: loop.count ? loop.percentile(99) / 1e6 : 0,
    clientCores: (cpu.user + cpu.system) / 1e6 / ((performance.now() - started) / 1000),
  };
}
