import type { Express } from 'express';

/** What express 5's router keeps of each layer: enough to list the routes it serves. */
interface Layer {
  readonly rawPath?: string | string[];
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
}

/** Joins a mount prefix ('' at the top) and a path: '' + '/' is '/', '/sites' + '/' is '/sites'. */
function join(prefix: string, path: string): string {
  const joined = `${prefix === '/' ? '' : prefix}${path === '/' ? '' : path}`;
  return joined === '' ? '/' : joined;
}

/**
 * Every route the app serves, as 'GET /sites/:siteId', read from its own router: routers mounted with
 * app.use(prefix, router) and routes added with router.get/post, at any depth. The route matrix test
 * compares this list with its own entries, so a route added without an entry fails.
 */
export function registeredRoutes(app: Express): string[] {
  const routes: string[] = [];
  const walk = (stack: readonly Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== '_all') routes.push(`${method.toUpperCase()} ${join(prefix, layer.route.path)}`);
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(routes)].sort();
}
