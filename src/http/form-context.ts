import type { Response } from 'express';
import { oversizedFieldError } from './body-limits.js';

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

/**
 * Sets the form context; then, when a field of the body was longer than any field may be (body-limits.ts),
 * throws its ValidationError (413), so that this form is drawn again with the message next to that field.
 */
export function withForm(res: Response, view: string, locals: LazyLocals = () => ({})): void {
  res.locals.formContext = { view, locals } satisfies FormContext;
  const tooLong = oversizedFieldError(res.req);
  if (tooLong) throw tooLong;
}

/** A page builder handed to routes by the composition root: the routes render it, or re-render it on a failed form. */
export type PageBuilder<Args extends unknown[] = [number]> = (...args: Args) => Promise<PageLocals>;
