import type { Response } from 'express';

/** What a form's page needs to be drawn again; built only when the submit failed. */
export type PageLocals = Record<string, unknown>;
export type LazyLocals = () => PageLocals | Promise<PageLocals>;

/**
 * Remembers which form a POST handler came from, so that when the service throws a ValidationError the
 * one error handler re-renders that form (status 400, input kept, message next to each field). The page's
 * locals are a function, called only on that failure path: a successful submit does not pay for them.
 */
export interface FormContext {
  readonly view: string;
  readonly locals: LazyLocals;
}

export function withForm(res: Response, view: string, locals: LazyLocals = () => ({})): void {
  res.locals.formContext = { view, locals } satisfies FormContext;
}

/** A page builder handed to routes by the composition root: the routes render it, or re-render it on a failed form. */
export type PageBuilder<Args extends unknown[] = [number]> = (...args: Args) => Promise<PageLocals>;
