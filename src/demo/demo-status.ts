import type { Clock } from '../clock.js';
import type { DemoRepo } from './demo-repo.js';

/** How long one process trusts its answer: the mark changes only when the demo is seeded or removed. */
const RECHECK_MS = 60_000;

/**
 * Whether the database holds the invented demo programme, for the "Dữ liệu mẫu" banner on every page:
 * read once a minute per process, not once per request.
 */
export function createDemoStatus({ repo, clock }: { repo: Pick<DemoRepo, 'holdsDemo'>; clock: Clock }) {
  let known: { holds: boolean; at: number } | undefined;
  return {
    async holdsDemo(): Promise<boolean> {
      const now = clock.now().getTime();
      if (!known || now - known.at >= RECHECK_MS) known = { holds: await repo.holdsDemo(), at: now };
      return known.holds;
    },
  };
}

export type DemoStatus = ReturnType<typeof createDemoStatus>;
