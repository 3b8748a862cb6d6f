import type { Request, RequestParamHandler, Response } from 'express';
import type { Actor } from '../actor.js';
import { NotFoundError } from './errors.js';

/** Route ids are positive integers; anything else is a 404, not a 500. */
export function parseId(raw: unknown): number {
  const id = typeof raw === 'string' && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw new NotFoundError();
  return id;
}

/** The logged-in user as services see them: who acts, with which role, in which part of the country. */
export function actorOf(req: Request): Actor {
  const { id, role, reach } = req.user!;
  return { id, role, reach };
}

/** A `:param` of the URL turned into the record it names, once per request, before any handler runs. */
export interface ParamLoader<T> {
  /** For `router.param(name, loader.param)`. */
  readonly param: RequestParamHandler;
  /** The record the param named; only inside a route that has the param. */
  of(res: Response): T;
}

/**
 * The one place where an id in a URL becomes a record: a malformed id or a missing record (the service
 * throws NotFoundError) answers 404 before the route's handler runs. `load` gets the acting user, so a
 * record outside their reach answers the same 404 (every param route is behind requireLogin).
 */
export function paramLoader<T>(name: string, load: (id: number, actor: Actor) => Promise<T>): ParamLoader<T> {
  const key = `loaded:${name}`;
  return {
    param: async (req, res, next, raw) => {
      const id = parseId(raw);
      if (!req.user) throw new NotFoundError();
      res.locals[key] = await load(id, actorOf(req));
      next();
    },
    of(res) {
      if (!(key in res.locals)) throw new Error(`no :${name} loaded for this route`);
      return res.locals[key] as T;
    },
  };
}
