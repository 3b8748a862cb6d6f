import type { Response } from 'express';

/**
 * Remembers which form a POST handler came from, so that when the service throws a ValidationError the
 * one error handler re-renders that form (status 400, input kept, message next to each field).
 */
export interface FormContext {
  readonly view: string;
  readonly locals: Record<string, unknown>;
}

export function withForm(res: Response, view: string, locals: Record<string, unknown> = {}): void {
  res.locals.formContext = { view, locals } satisfies FormContext;
}
